import Foundation
import Engine

/// Where the Key Vault tier gets its Entra ID tokens: the backend's client-secret kwargs, or
/// what `DefaultAzureCredential` finds in the environment (client secret, workload identity,
/// managed identity).
enum AzureCredentialSource: Sendable {
    static let defaultAuthority = "https://login.microsoftonline.com"
    static let federatedAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    case clientSecret(tenantID: String, clientID: String, secret: String, authority: URL, origin: String)
    case workloadIdentity(tenantID: String, clientID: String, tokenFile: URL, authority: URL)
    case managedIdentity(ManagedIdentityEndpoint, clientID: String?)

    enum ManagedIdentityEndpoint: Sendable {
        /// App Service / Container Apps / Arc: IDENTITY_ENDPOINT with the IDENTITY_HEADER secret.
        case identityEndpoint(URL, header: String)
        /// The instance metadata service (VMs, AKS pod identity).
        case imds(URL)
    }

    /// For the backend pane: what authenticates, without secrets.
    var summary: String {
        switch self {
        case .clientSecret(let tenant, let client, _, _, let origin):
            return "client secret of app \(client) in tenant \(tenant) (\(origin))"
        case .workloadIdentity(let tenant, let client, let file, _):
            return "workload identity of app \(client) in tenant \(tenant) (token file \(file.path))"
        case .managedIdentity(let endpoint, let client):
            let id = client.map { " \($0)" } ?? ""
            switch endpoint {
            case .identityEndpoint(let url, _): return "managed identity\(id) via IDENTITY_ENDPOINT \(url.hostAndPort)"
            case .imds(let url): return "managed identity\(id) via IMDS \(url.hostAndPort)"
            }
        }
    }

    /// The tenant the credential belongs to, when it names one.
    var tenantID: String? {
        switch self {
        case .clientSecret(let tenant, _, _, _, _), .workloadIdentity(let tenant, _, _, _): return tenant
        case .managedIdentity: return nil
        }
    }

    static func resolve(kwargs: BackendKwargs, deployment: Deployment) throws -> AzureCredentialSource {
        let env = deployment.environment
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        let authority = try authorityURL(value("AZURE_AUTHORITY_HOST"))
        let tenant = try kwargs.nonEmptyString("tenant_id"), client = try kwargs.nonEmptyString("client_id")
        if let tenant, let client, let secret = try kwargs.nonEmptyString("client_secret") {
            return .clientSecret(tenantID: tenant, clientID: client, secret: secret, authority: authority, origin: "backend kwargs")
        }
        // DefaultAzureCredential: environment, then workload identity, then managed identity.
        if let tenant = value("AZURE_TENANT_ID"), let client = value("AZURE_CLIENT_ID"), let secret = value("AZURE_CLIENT_SECRET") {
            return .clientSecret(tenantID: tenant, clientID: client, secret: secret, authority: authority,
                                 origin: "AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET")
        }
        let managedClientID = try kwargs.nonEmptyString("managed_identity_client_id")
        if let file = value("AZURE_FEDERATED_TOKEN_FILE") {
            guard let workloadTenant = try kwargs.nonEmptyString("workload_identity_tenant_id") ?? value("AZURE_TENANT_ID"),
                  let workloadClient = managedClientID ?? value("AZURE_CLIENT_ID") else {
                throw CloudFailure(.configuration, "AZURE_FEDERATED_TOKEN_FILE is set but AZURE_TENANT_ID or AZURE_CLIENT_ID is not; "
                                   + "workload identity needs both (check the pod's service-account annotations).")
            }
            return .workloadIdentity(tenantID: workloadTenant, clientID: workloadClient,
                                     tokenFile: deployment.localPath(file), authority: authority)
        }
        let clientID = managedClientID ?? value("AZURE_CLIENT_ID")
        if let endpoint = value("IDENTITY_ENDPOINT") {
            guard let url = URL(string: endpoint), url.host != nil else {
                throw CloudFailure(.configuration, "IDENTITY_ENDPOINT (\(endpoint)) is not a URL.")
            }
            guard let header = value("IDENTITY_HEADER") else {
                throw CloudFailure(.configuration, "IDENTITY_ENDPOINT is set without IDENTITY_HEADER; the managed identity endpoint needs both.")
            }
            return .managedIdentity(.identityEndpoint(url, header: header), clientID: clientID)
        }
        let imdsHost = value("AZURE_POD_IDENTITY_AUTHORITY_HOST") ?? "http://169.254.169.254"
        guard let imds = URL(string: (imdsHost.contains("://") ? imdsHost : "http://" + imdsHost)) else {
            throw CloudFailure(.configuration, "AZURE_POD_IDENTITY_AUTHORITY_HOST (\(imdsHost)) is not a URL.")
        }
        return .managedIdentity(.imds(imds), clientID: clientID)
    }

    /// AZURE_AUTHORITY_HOST (a host or an https URL), default login.microsoftonline.com.
    static func authorityURL(_ setting: String?) throws -> URL {
        var text = setting ?? defaultAuthority
        if !text.contains("://") { text = "https://" + text }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), url.host != nil else {
            throw CloudFailure(.configuration, "AZURE_AUTHORITY_HOST (\(setting ?? "")) is not a URL.")
        }
        guard url.scheme == "https" else {
            throw CloudFailure(.configuration, "AZURE_AUTHORITY_HOST (\(text)) must use https; Azure Identity refuses other schemes.")
        }
        return url
    }
}
