import Foundation
import Engine

/// Gets Entra ID (Azure AD) access tokens for Key Vault: OAuth 2 client credentials with a
/// secret or a federated assertion at {authority}/{tenant}/oauth2/v2.0/token, or a managed
/// identity endpoint. Tokens are cached per scope until shortly before expiry.
struct AzureTokenProvider: Sendable {
    let source: AzureCredentialSource
    let requester: CloudRequester
    let cache: AccessTokenCache

    private var clock: any WallClock { requester.clock }

    func token(scope: String) async throws -> AccessToken {
        try await cache.token(for: scope, now: clock.now()) { try await fetch(scope: scope) }
    }

    func invalidate(scope: String) async { await cache.invalidate(scope: scope) }

    private func fetch(scope: String) async throws -> AccessToken {
        switch source {
        case .clientSecret(let tenant, let client, let secret, let authority, _):
            return try await clientCredentials(authority: authority, tenant: tenant, scope: scope, fields: [
                ("client_id", client), ("client_secret", secret), ("grant_type", "client_credentials"), ("scope", scope),
            ])
        case .workloadIdentity(let tenant, let client, let file, let authority):
            let assertion: String
            do {
                // Refuses a FIFO or a folder at once instead of blocking on it.
                assertion = try RegularFile.utf8String(file.path).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch let error as RegularFileError {
                throw CloudFailure(.configuration, "AZURE_FEDERATED_TOKEN_FILE: \(error.description)")
            } catch {
                throw CloudFailure(.configuration, "AZURE_FEDERATED_TOKEN_FILE \(file.path) cannot be read (missing or no permission).")
            }
            return try await clientCredentials(authority: authority, tenant: tenant, scope: scope, fields: [
                ("client_id", client), ("client_assertion_type", AzureCredentialSource.federatedAssertionType),
                ("client_assertion", assertion), ("grant_type", "client_credentials"), ("scope", scope),
            ])
        case .managedIdentity(let endpoint, let client):
            return try await managedIdentity(endpoint, clientID: client, scope: scope)
        }
    }

    private func clientCredentials(authority: URL, tenant: String, scope: String, fields: [(String, String)]) async throws -> AccessToken {
        let url = authority.appendingPathComponent(tenant).appendingPathComponent("oauth2/v2.0/token")
        let request = HTTPRequest(method: "POST", url: url,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                  body: FormEncoding.encode(fields))
        let response = try await requester.send(request)
        guard response.isSuccess else { throw tokenFailure(response, endpoint: url) }
        return try parseToken(response, what: "the Entra ID token endpoint \(url.hostAndPort)")
    }

    private func managedIdentity(_ endpoint: AzureCredentialSource.ManagedIdentityEndpoint, clientID: String?,
                                 scope: String) async throws -> AccessToken {
        // Managed identity endpoints take a resource, not a scope.
        let resource = scope.hasSuffix("/.default") ? String(scope.dropLast("/.default".count)) : scope
        var query = [("resource", resource)]
        if let clientID { query.append(("client_id", clientID)) }
        let url: URL, headers: [(name: String, value: String)], what: String
        switch endpoint {
        case .identityEndpoint(let base, let secretHeader):
            url = Self.adding(query: [("api-version", "2019-08-01")] + query, to: base)
            headers = [("X-IDENTITY-HEADER", secretHeader)]
            what = "the managed identity endpoint (IDENTITY_ENDPOINT \(base.hostAndPort))"
        case .imds(let base):
            url = Self.adding(query: [("api-version", "2018-02-01")] + query,
                              to: base.appendingPathComponent("metadata/identity/oauth2/token"))
            headers = [("Metadata", "true")]
            what = "the instance metadata service at \(base.hostAndPort)"
        }
        let response: HTTPResponse
        do {
            let probe: CloudRequester
            if case .imds = endpoint { probe = requester.withoutRetries() } else { probe = requester }
            response = try await probe.send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: .seconds(3)))
        } catch let failure as CloudFailure where failure.kind == .unavailable {
            throw CloudFailure(.badCredentials, "no Azure credentials found: tenant_id/client_id/client_secret are not all set in the "
                               + "backend kwargs, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET are not all set, "
                               + "AZURE_FEDERATED_TOKEN_FILE is unset, and \(what) did not answer. Set one of them in the deployment.")
        }
        guard response.isSuccess else {
            let reply = try? JSONReply(response: response, what: what)
            let said = reply?.string("error_description") ?? reply?.string("message") ?? reply?.string("error") ?? "HTTP \(response.status)"
            throw CloudFailure(.badCredentials, "\(what) refused a token (\(GoogleTokenProvider.clip(said))); check that a managed identity "
                               + "is assigned (and, for a user-assigned one, managed_identity_client_id or AZURE_CLIENT_ID).")
        }
        return try parseToken(response, what: what)
    }

    private func parseToken(_ response: HTTPResponse, what: String) throws -> AccessToken {
        let reply = try JSONReply(response: response, what: what)
        guard let value = reply.string("access_token"), !value.isEmpty else {
            throw CloudFailure(.malformed, "\(what) answered without an access_token.")
        }
        let now = clock.now()
        if let lifetime = reply.int("expires_in") {
            return AccessToken(value: value, expiresAt: now.addingTimeInterval(TimeInterval(lifetime)))
        }
        if let expiresOn = reply.int("expires_on") {
            return AccessToken(value: value, expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresOn)))
        }
        return AccessToken(value: value, expiresAt: now.addingTimeInterval(3600))
    }

    /// An Entra ID error reply (`error`, `error_description` with an AADSTS code) as a message.
    private func tokenFailure(_ response: HTTPResponse, endpoint: URL) -> CloudFailure {
        let reply = try? JSONReply(response: response, what: "Entra ID")
        let code = reply?.string("error") ?? "HTTP \(response.status)"
        let description = reply?.string("error_description").map { GoogleTokenProvider.clip($0.components(separatedBy: "\r\n").first ?? $0) } ?? ""
        let said = description.isEmpty ? code : "\(code): \(description)"
        let who = source.summary
        if response.status == 429 {
            return CloudFailure(.throttled, "Entra ID is throttling token requests\(response.retryAfterText); try again shortly.")
        }
        if description.contains("AADSTS7000215") || description.contains("AADSTS7000222") {
            return CloudFailure(.badCredentials, "Entra ID refused the client secret of \(who) (\(said)). Use the secret's Value "
                                + "(not its ID) from the app registration, and check that it has not expired.")
        }
        if description.contains("AADSTS700016") {
            return CloudFailure(.badCredentials, "Entra ID does not know the application of \(who) (\(said)); check AZURE_CLIENT_ID / client_id and the tenant.")
        }
        if description.contains("AADSTS90002") {
            return CloudFailure(.badCredentials, "Entra ID does not know the tenant of \(who) (\(said)); check AZURE_TENANT_ID / tenant_id.")
        }
        if description.contains("AADSTS700024") || description.contains("AADSTS700027") || description.contains("AADSTS70021") {
            return CloudFailure(.badCredentials, "Entra ID refused the federated token of \(who) (\(said)); check the federated "
                                + "credential (issuer, subject, audience) and that the token file is fresh.")
        }
        return CloudFailure(.badCredentials, "Entra ID at \(endpoint.hostAndPort) refused a token for \(who) (\(said)).")
    }

    static func adding(query: [(String, String)], to url: URL) -> URL {
        let text = url.absoluteString
        let joined = query.map { "\($0.0)=\(FormEncoding.escape($0.1))" }.joined(separator: "&")
        return URL(string: text + (text.contains("?") ? "&" : "?") + joined) ?? url
    }
}
