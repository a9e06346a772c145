import Foundation
import Engine

/// `AzureKeyVaultBackend`'s kwargs and the deployment environment, read as Airflow reads them.
struct AzureBackendSettings: Sendable {
    static let defaultAPIVersion = "7.4"

    var naming: KeyVaultSecretNaming
    /// The naming of Airflow 3.2+ multi-team mode (team names first, refusals), when it is on.
    var teamNaming: BackendNaming?
    /// vault_url without a trailing slash.
    var vaultURL: URL
    var apiVersion: String
    /// SecretClient's verify_challenge_resource: the 401 challenge's resource must be the vault's domain.
    var verifyChallengeResource: Bool
    var credentials: AzureCredentialSource

    init(configuration: BackendConfiguration, deployment: Deployment, allowPlainHTTP: Bool) throws {
        let kwargs = BackendKwargs(configuration)
        teamNaming = deployment.teamLookup.isMultiTeam
            ? BackendNaming(configuration: configuration, version: deployment.airflowVersion, teams: deployment.teamLookup) : nil
        naming = KeyVaultSecretNaming(connectionsPrefix: try kwargs.string("connections_prefix", default: "airflow-connections"),
                                      variablesPrefix: try kwargs.string("variables_prefix", default: "airflow-variables"),
                                      separator: try kwargs.string("sep", default: "-") ?? "-")
        guard var text = try kwargs.nonEmptyString("vault_url") else {
            throw TierError("vault_url is not set in \(kwargs.origin); set it to the vault's URI (Key Vault overview → Vault URI).")
        }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), url.host != nil, url.scheme == "https" || url.scheme == "http" else {
            throw TierError("vault_url in \(kwargs.origin) (\(text)) is not an https URL.")
        }
        if url.scheme != "https" && !allowPlainHTTP {
            throw TierError("vault_url \(text) is not https: bearer tokens are never sent over plain HTTP (the Azure SDK refuses "
                            + "too). Use the vault's https URL.")
        }
        vaultURL = url
        let version = try kwargs.nonEmptyString("api_version") ?? Self.defaultAPIVersion
        if !Self.isSupported(apiVersion: version) {
            throw TierError("api_version \(version) in \(kwargs.origin) is older than 7.4; Strata speaks Key Vault API 7.4 or later.")
        }
        apiVersion = version
        verifyChallengeResource = kwargs.bool("verify_challenge_resource", default: true)
        do {
            credentials = try AzureCredentialSource.resolve(kwargs: kwargs, deployment: deployment)
        } catch let failure as CloudFailure {
            throw failure.tierError
        }
    }

    /// 7.4 and later 7.x versions, and the date-named versions that followed them.
    static func isSupported(apiVersion: String) -> Bool {
        if apiVersion.range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}"#, options: .regularExpression) != nil { return true }
        let parts = apiVersion.split(separator: "-")[0].split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return false }
        return major > 7 || (major == 7 && minor >= 4)
    }
}
