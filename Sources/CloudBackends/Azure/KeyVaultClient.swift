import Foundation
import Engine
import RemoteSupport

/// The Key Vault secrets REST calls the Azure tier makes (api-version 7.4 or later), with the
/// SDK's challenge flow: the first request goes without a token, the 401 names the tenant and
/// scope, then every request carries a bearer token for that scope.
struct KeyVaultClient: Sendable {
    let settings: AzureBackendSettings
    let tokens: AzureTokenProvider
    let requester: CloudRequester
    let challenges: ChallengeStore

    /// Remembers the vault's challenge, so only the first request goes without a token.
    actor ChallengeStore {
        var challenge: KeyVaultChallenge?
        func set(_ challenge: KeyVaultChallenge) { self.challenge = challenge }
    }

    struct SecretBundle: Sendable {
        var name: String
        var value: String?
        var version: String?
        var enabled: Bool
        var updated: Date?
        var contentType: String?
    }

    var vaultURL: URL { settings.vaultURL }

    /// Every secret item of the vault (no values), following `nextLink` to the last page.
    func listSecrets() async throws -> (items: [SecretBundle], pages: Int) {
        var items: [SecretBundle] = []
        var next: URL? = firstListPage
        var pages = 0
        while let page = next {
            let listed = try await listPage(page)
            pages += 1
            items.append(contentsOf: listed.items)
            next = listed.next
        }
        return (items, pages)
    }

    /// Where the listing of the vault's secrets starts (25 a page, the SDK's size).
    var firstListPage: URL { url(path: "/secrets", query: [("maxresults", "25")]) }

    /// One page of the listing, and the next page's URL (`nextLink`), which must stay on the vault.
    func listPage(_ page: URL) async throws -> (items: [SecretBundle], next: URL?) {
        let reply = try await call("GET", page, what: "listing the secrets of \(vaultURL.hostAndPort)")
        let items = (reply.children("value") ?? []).compactMap(Self.bundle)
        guard let link = reply.string("nextLink"), !link.isEmpty else { return (items, nil) }
        guard let url = URL(string: link), url.host?.lowercased() == vaultURL.host?.lowercased(),
              url.scheme == vaultURL.scheme, url.port == vaultURL.port else {
            throw CloudFailure(.malformed, "Key Vault's nextLink points away from the vault (\(URL(string: link)?.hostAndPort ?? "not a URL")); "
                               + "Strata does not send the vault's token elsewhere.")
        }
        return (items, url)
    }

    /// The current version of `name`.
    func getSecret(_ name: String) async throws -> SecretBundle {
        // The SDK asks for /secrets/{name}/ — an empty version segment means the latest version.
        let reply = try await call("GET", url(path: "/secrets/\(name)/", query: []), what: "reading secret \(name)")
        guard let bundle = Self.bundle(reply) else {
            throw CloudFailure(.malformed, "Key Vault answered the read of \(name) without a secret id.")
        }
        return bundle
    }

    /// Sets `name` to `value` (a new version); returns the new bundle.
    func setSecret(_ name: String, value: String) async throws -> SecretBundle {
        let reply = try await call("PUT", url(path: "/secrets/\(name)", query: []), body: jsonBody(["value": value]),
                                   what: "setting secret \(name)")
        guard let bundle = Self.bundle(reply) else {
            throw CloudFailure(.malformed, "Key Vault answered the write of \(name) without a secret id.")
        }
        return bundle
    }

    private func url(path: String, query: [(String, String)]) -> URL {
        let all = [("api-version", settings.apiVersion)] + query
        return URL(string: vaultURL.absoluteString + path + "?" + all.map { "\($0.0)=\(FormEncoding.escape($0.1))" }.joined(separator: "&"))!
    }

    private func call(_ method: String, _ url: URL, body: [UInt8] = [], what: String) async throws -> JSONReply {
        var challenge = await challenges.challenge
        var renewed = false
        while true {
            var headers: [(name: String, value: String)] = [("Accept", "application/json")]
            var sentBody = body
            if let challenge {
                let token = try await tokens.token(scope: challenge.scope)
                headers.append(("Authorization", "Bearer \(token.value)"))
            } else {
                sentBody = []  // as the SDK does: elicit the challenge without sending the payload
            }
            if !sentBody.isEmpty { headers.append(("Content-Type", "application/json")) }
            let response = try await requester.send(HTTPRequest(method: method, url: url, headers: headers, body: sentBody))
            if response.isSuccess {
                if challenge == nil {
                    throw CloudFailure(.malformed, "\(vaultURL.hostAndPort) answered without asking for a token (it "
                                       + "\(NonJSONReply.summary(response))); it does not behave like Key Vault.")
                }
                return try JSONReply(response: response, what: "Key Vault (\(what))")
            }
            if response.status == 401, let offered = KeyVaultChallenge(header: response.header("WWW-Authenticate")), !renewed {
                try accept(offered)
                if challenge != nil { await tokens.invalidate(scope: offered.scope) }
                renewed = challenge != nil
                challenge = offered
                await challenges.set(offered)
                continue
            }
            throw KeyVaultError.failure(response, what: what, principal: tokens.source.summary)
        }
    }

    /// Checks a challenge as the SDK does: its resource must be the vault's domain (unless
    /// verify_challenge_resource is false) and its tenant the credential's.
    private func accept(_ challenge: KeyVaultChallenge) throws {
        if settings.verifyChallengeResource, !challenge.matches(vaultHost: vaultURL.host ?? "") {
            throw CloudFailure(.configuration, "Key Vault at \(vaultURL.hostAndPort) asked for a token for \(challenge.scope), "
                               + "which is not the vault's domain; Strata (like the Azure SDK) refuses to send one. If this vault "
                               + "really is served from this address, set \"verify_challenge_resource\": false in the backend kwargs.")
        }
        if let wanted = challenge.tenantID, let have = tokens.source.tenantID, wanted.lowercased() != have.lowercased() {
            throw CloudFailure(.badCredentials, "the vault \(vaultURL.hostAndPort) belongs to tenant \(wanted) but the credentials "
                               + "(\(tokens.source.summary)) are for tenant \(have); use credentials from the vault's tenant.")
        }
    }

    static func bundle(_ reply: JSONReply) -> SecretBundle? {
        guard let id = reply.string("id"), let url = URL(string: id) else { return nil }
        let parts = url.pathComponents.filter { $0 != "/" }
        guard let index = parts.lastIndex(of: "secrets"), index + 1 < parts.count else { return nil }
        let attributes = reply.child("attributes")
        return SecretBundle(name: parts[index + 1], value: reply.string("value"),
                            version: index + 2 < parts.count ? parts[index + 2] : nil,
                            enabled: attributes?.bool("enabled") ?? true,
                            updated: attributes?.int("updated").map { Date(timeIntervalSince1970: TimeInterval($0)) },
                            contentType: reply.string("contentType"))
    }
}

/// Key Vault's JSON error body (`{"error": {"code", "message", "innererror"}}`) as a `CloudFailure`.
enum KeyVaultError {
    static func failure(_ response: HTTPResponse, what: String, principal: String) -> CloudFailure {
        let error = (try? JSONReply(response: response, what: "Key Vault"))?.child("error")
        let code = error?.string("code") ?? "HTTP \(response.status)"
        let inner = error?.child("innererror")?.string("code")
        let message = error?.string("message").map(GoogleTokenProvider.clip) ?? ""
        let said = [code, inner].compactMap { $0 }.joined(separator: "/") + (message.isEmpty ? "" : ": \(message)")
        switch response.status {
        case 404:
            return CloudFailure(.notFound, "\(what): not found (\(said)).")
        case 403 where inner == "SecretDisabled" || message.lowercased().contains("disabled"):
            return CloudFailure(.disabled, "\(what): the secret is disabled (\(said)). Enable it in the vault to use it.")
        case 403:
            return CloudFailure(.permissionDenied, "\(what): access denied for \(principal) (\(said)). Give it Get and List "
                                + "permissions on secrets (access policy) or the Key Vault Secrets User role.")
        case 401:
            return CloudFailure(.unauthenticated, "\(what): Key Vault did not accept the token of \(principal) (\(said)).")
        case 429:
            return CloudFailure(.throttled, "\(what): Key Vault is throttling requests\(response.retryAfterText); Strata retried and gave up. Try again shortly.")
        case 400:
            return CloudFailure(.invalidArgument, "\(what): Key Vault refused the request (\(said)).")
        default:
            return CloudFailure(.other, "\(what): Key Vault answered HTTP \(response.status) (\(said)).")
        }
    }
}
