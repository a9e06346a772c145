import Foundation
import Engine

/// Gets OAuth 2 access tokens for the GCP tier: a signed JWT exchanged at the key's
/// token_uri, a refresh-token grant for gcloud user credentials, or the metadata server.
/// Tokens are cached until shortly before they expire.
struct GoogleTokenProvider: Sendable {
    let source: GoogleCredentialSource
    let scopes: [String]
    let requester: CloudRequester
    let cache: AccessTokenCache

    private var clock: any WallClock { requester.clock }
    private var scopeKey: String { scopes.joined(separator: " ") }

    func token() async throws -> AccessToken {
        try await cache.token(for: scopeKey, now: clock.now()) { try await fetch() }
    }

    func invalidate() async { await cache.invalidate(scope: scopeKey) }

    /// The project of the metadata server's VM or pod, for the metadata source.
    func metadataProjectID() async throws -> String? {
        guard case .metadataServer(let host) = source else { return nil }
        let url = try metadataURL(host: host, path: "/computeMetadata/v1/project/project-id")
        let response = try await send(HTTPRequest(method: "GET", url: url, headers: [("Metadata-Flavor", "Google")], timeout: .seconds(3)),
                                      what: "the metadata server at \(host)")
        guard response.isSuccess else { return nil }
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private func fetch() async throws -> AccessToken {
        switch source {
        case .serviceAccount(let key, let origin):
            let assertion: String
            do { assertion = try key.assertion(scopes: scopes, now: clock.now()) } catch {
                throw CloudFailure(.badCredentials, "could not sign with the private key of \(key) (\(origin)); download a new JSON key.")
            }
            let body = FormEncoding.encode([("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)])
            return try await exchange(at: key.tokenURI, body: body, who: "\(key) (\(origin))")
        case .authorizedUser(let user, let origin):
            let body = FormEncoding.encode([("grant_type", "refresh_token"), ("client_id", user.clientID),
                                            ("client_secret", user.clientSecret), ("refresh_token", user.refreshToken)])
            return try await exchange(at: user.tokenURI, body: body, who: "\(user) (\(origin))")
        case .metadataServer(let host):
            var url = try metadataURL(host: host, path: "/computeMetadata/v1/instance/service-accounts/default/token")
            if !scopes.isEmpty, var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) {
                parts.percentEncodedQuery = "scopes=" + FormEncoding.escape(scopes.joined(separator: ","))
                url = parts.url ?? url
            }
            let what = "the GCE metadata server at \(host)"
            let response = try await send(HTTPRequest(method: "GET", url: url, headers: [("Metadata-Flavor", "Google")], timeout: .seconds(3)), what: what)
            guard response.isSuccess else {
                throw CloudFailure(.badCredentials, "\(what) refused a token (HTTP \(response.status)); check that Workload Identity "
                                   + "binds this deployment's Kubernetes service account to a Google service account.")
            }
            return try parseToken(response, what: what)
        }
    }

    private func metadataURL(host: String, path: String) throws -> URL {
        let base = host.contains("://") ? host : "http://" + host
        guard let url = URL(string: base + path) else {
            throw CloudFailure(.configuration, "GCE_METADATA_HOST \(host) is not a host[:port].")
        }
        return url
    }

    private func send(_ request: HTTPRequest, what: String) async throws -> HTTPResponse {
        var requester = self.requester
        if case .metadataServer = source { requester = requester.withoutRetries() }
        do { return try await requester.send(request) } catch let failure as CloudFailure where failure.kind == .unavailable {
            if case .metadataServer = source {
                throw CloudFailure(.badCredentials, "no Google credentials found: gcp_key_path and gcp_keyfile_dict are not set, "
                                   + "GOOGLE_APPLICATION_CREDENTIALS is unset, there is no gcloud application-default file, and "
                                   + "\(what) did not answer. Set one of them in the deployment (or run `gcloud auth application-default login`).")
            }
            throw failure
        }
    }

    private func exchange(at tokenURI: URL, body: [UInt8], who: String) async throws -> AccessToken {
        let request = HTTPRequest(method: "POST", url: tokenURI,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                  body: body)
        let response = try await send(request, what: "the Google token endpoint")
        guard response.isSuccess else { throw tokenFailure(response, who: who, endpoint: tokenURI) }
        return try parseToken(response, what: "the Google token endpoint \(tokenURI.hostAndPort)")
    }

    private func parseToken(_ response: HTTPResponse, what: String) throws -> AccessToken {
        let reply = try JSONReply(response: response, what: what)
        guard let value = reply.string("access_token"), !value.isEmpty else {
            throw CloudFailure(.malformed, "\(what) answered without an access_token.")
        }
        let lifetime = reply.int("expires_in") ?? 3600
        return AccessToken(value: value, expiresAt: clock.now().addingTimeInterval(TimeInterval(lifetime)))
    }

    /// A refused token request as a message that says what to check.
    private func tokenFailure(_ response: HTTPResponse, who: String, endpoint: URL) -> CloudFailure {
        let reply = try? JSONReply(response: response, what: "the Google token endpoint")
        let code = reply?.string("error") ?? "HTTP \(response.status)"
        let detail = reply?.string("error_description").map { Self.clip($0) } ?? ""
        let said = detail.isEmpty ? code : "\(code): \(detail)"
        let lower = detail.lowercased()
        if lower.contains("iat") || lower.contains("exp") || lower.contains("timeframe") {
            let now = ISO8601DateFormatter().string(from: clock.now())
            return CloudFailure(.clockSkew, "Google refused the token request for \(who) (\(said)). This computer's clock reads \(now) UTC; "
                                + "correct the clock (the JWT is only valid within a few minutes of Google's time).")
        }
        switch code {
        case "invalid_grant":
            return CloudFailure(.badCredentials, "Google refused the credentials of \(who) (\(said)). The key may have been "
                                + "deleted or disabled, belong to another account, or (for user credentials) the login expired; "
                                + "create a new key or run `gcloud auth application-default login` again.")
        case "invalid_client", "unauthorized_client":
            return CloudFailure(.badCredentials, "Google does not accept the OAuth client of \(who) (\(said)); check the credentials file.")
        case "invalid_scope":
            return CloudFailure(.configuration, "Google refused the scopes \(scopes.joined(separator: ",")) (\(said)); check gcp_scopes.")
        default:
            if response.status == 429 {
                return CloudFailure(.throttled, "the Google token endpoint is throttling requests\(response.retryAfterText); try again shortly.")
            }
            return CloudFailure(.badCredentials, "the Google token endpoint \(endpoint.hostAndPort) refused a token for \(who) (\(said)).")
        }
    }

    static func clip(_ text: String) -> String { text.count > 240 ? String(text.prefix(240)) + "…" : text }
}
