import Foundation
import PythonCompat
import Engine
import RemoteSupport

/// Talks to one Vault (or OpenBao) server as hvac does for Airflow: `X-Vault-Token`,
/// `X-Vault-Request` and `X-Vault-Namespace` headers, retries of transient failures, one
/// re-login when a login-based token is refused, and errors turned into clear messages.
public final class VaultClient: Sendable {
    public let baseURL: URL
    public let namespace: String?
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let clock: any WallClock
    let timeout: Duration
    let session: VaultTokenSession
    let scrubber: SecretScrubber
    /// Whether a refused token can be replaced by logging in (every method but token auth).
    let canLogIn: Bool

    init(settings: VaultSettings, transport: any HTTPTransport, retry: RetryPolicy, clock: any WallClock) {
        baseURL = settings.url
        namespace = settings.namespace
        self.transport = transport
        self.retry = retry
        self.clock = clock
        timeout = settings.timeout
        session = VaultTokenSession(auth: settings.auth, clock: clock)
        scrubber = SecretScrubber(settings.auth.knownSecrets)
        canLogIn = settings.auth.canLogIn
    }

    /// How often this client logged in and renewed its token (for tests and the benchmark).
    public func tokenCounts() async -> (logins: Int, renewals: Int) { await session.counts }

    // MARK: Replies

    /// A decoded reply: status, the JSON object (if any), Vault's `errors` and `warnings`.
    struct Reply: Sendable {
        var status: Int
        var json: JSONObject?
        var errors: [String]
        var warnings: [String]

        var data: JSONObject? { json?["data"]?.objectValue }
    }

    /// What a request was for, to say which path and capability a 403 is about.
    struct Purpose: Sendable {
        /// The policy capability needed: read, list, create, update, sudo…
        var capability: String
        /// The policy path (`secret/data/connections/x`), without `/v1/`.
        var policyPath: String
    }

    // MARK: Sending

    /// Sends an authenticated request to `/v1/<path>` (path already percent-encoded) and
    /// returns the reply for 2xx and 404; any other status throws a `VaultFailure`.
    func send(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONObject? = nil,
              purpose: Purpose) async throws -> Reply {
        var token = try await session.currentToken(client: self)
        var reply = try await sendRaw(method, path, query: query, body: body, token: token)
        var tokenIsValid: Bool?
        if reply.status == 403 {
            // hvac 4.x re-authenticates once when a request is refused. Strata first asks whether
            // the token still works, so a policy's refusal does not cost a login per secret.
            tokenIsValid = (try? await lookupSelf(token: token)) != nil
            if tokenIsValid == false, await session.invalidate(token) {
                token = try await session.currentToken(client: self)
                reply = try await sendRaw(method, path, query: query, body: body, token: token)
                tokenIsValid = reply.status == 403 ? (try? await lookupSelf(token: token)) != nil : true
            }
        }
        if (200..<300).contains(reply.status) || reply.status == 404 { return reply }
        throw await failure(for: reply, purpose: purpose, token: token, tokenIsValid: tokenIsValid ?? true)
    }

    /// One request (with retries of transient failures), no status interpretation.
    func sendRaw(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONObject? = nil,
                 token: String?) async throws -> Reply {
        var text = baseURL.absoluteString + "/v1/" + path
        if !query.isEmpty {
            text += "?" + query.map { "\($0.0.pythonQuotedSegment)=\($0.1.pythonQuotedSegment)" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else {
            throw VaultFailure(.configuration, "cannot build a request URL for \(path) on \(SecretRedaction.maskURLCredentials(in: baseURL.absoluteString)).")
        }
        var headers: [(name: String, value: String)] = [("X-Vault-Request", "true")]
        if let token { headers.append(("X-Vault-Token", token)) }
        if let namespace { headers.append(("X-Vault-Namespace", namespace)) }
        var bytes: [UInt8] = []
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(JSONValue.object(body).pythonDumps().utf8)
        }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: bytes, timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await retry.send(through: transport, clock: clock, isRetryable: Self.isRetryable) { request }.response
        } catch let failure as TransportFailure {
            throw describe(failure)
        } catch let failure as VaultFailure {
            throw failure
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw VaultFailure(.unreachable, "cannot reach Vault at \(baseURL.displayHost): \(scrubber.scrub(String(describing: error)))")
        }
        let reply = Self.decode(response)
        if (200..<300).contains(response.status), !response.body.isEmpty, reply.json == nil {
            throw VaultFailure(.server, "Vault at \(baseURL.displayHost) \(NonJSONReply.explain(response)) (\(method) \(Self.policyPath(path))).")
        }
        return reply
    }

    /// The request path without any query, for messages.
    static func policyPath(_ path: String) -> String {
        String(path.prefix { $0 != "?" })
    }

    /// hvac's session retries 412, 500, 502 and 503; a sealed server is not worth waiting for.
    @Sendable static func isRetryable(_ response: HTTPResponse) -> Bool {
        switch response.status {
        case 412, 429, 500, 502, 504: return true
        case 503:
            let text = String(decoding: response.body.prefix(512), as: UTF8.self).lowercased()
            return !text.contains("sealed") && !text.contains("not initialized")
        default: return false
        }
    }

    static func decode(_ response: HTTPResponse) -> Reply {
        var json: JSONObject?
        if !response.body.isEmpty, let text = String(validating: response.body, as: UTF8.self),
           case .object(let object)? = try? JSONValue.parsePython(text) {
            json = object
        }
        func strings(_ name: String) -> [String] {
            guard case .array(let items)? = json?[name] else { return [] }
            return items.compactMap(\.stringValue)
        }
        return Reply(status: response.status, json: json, errors: strings("errors"), warnings: strings("warnings"))
    }

    // MARK: Authentication requests

    func logIn(path: String, body: JSONObject, extraSecrets: [String], method: String) async throws -> GrantedToken {
        let reply = try await sendRaw("POST", path, body: body, token: nil)
        let scrub = extraSecrets.reduce(scrubber) { $0.adding($1) }
        guard (200..<300).contains(reply.status) else {
            if let special = await availabilityFailure(reply) { throw special }
            let why = reply.errors.isEmpty ? "HTTP \(reply.status)" : reply.errors.joined(separator: "; ")
            let hint = reply.status == 404 || why.contains("no handler")
                ? " Is an auth method mounted at \(path.split(separator: "/").prefix(2).joined(separator: "/"))? Check auth_mount_point."
                : " Check the credentials in the backend kwargs."
            throw VaultFailure(.authentication, "Vault refused the \(method) login (\(scrub.scrub(why))).\(hint)")
        }
        guard let auth = reply.json?["auth"]?.objectValue, let token = auth["client_token"]?.stringValue, !token.isEmpty else {
            throw VaultFailure(.authentication, "the \(method) login at \(path) returned no client token.")
        }
        return GrantedToken(token: token, ttl: Self.int(auth["lease_duration"]), renewable: auth["renewable"] == .bool(true))
    }

    func renewSelf(token: String) async throws -> GrantedToken {
        let reply = try await sendRaw("POST", "auth/token/renew-self", body: JSONObject(), token: token)
        guard reply.status == 200, let auth = reply.json?["auth"]?.objectValue else {
            throw VaultFailure(.authentication, "the token could not be renewed (HTTP \(reply.status)).")
        }
        return GrantedToken(token: auth["client_token"]?.stringValue ?? token, ttl: Self.int(auth["lease_duration"]),
                            renewable: auth["renewable"] == .bool(true))
    }

    func lookupSelf(token: String) async throws -> (ttl: Int?, renewable: Bool) {
        let reply = try await sendRaw("GET", "auth/token/lookup-self", token: token)
        guard reply.status == 200, let data = reply.data else {
            throw VaultFailure(.authentication, "lookup-self failed (HTTP \(reply.status)).")
        }
        return (Self.int(data["ttl"]), data["renewable"] == .bool(true))
    }

    static func int(_ value: JSONValue?) -> Int? {
        switch value {
        case .integer(let digits)?: return Int(digits)
        case .float(let d)?: return Int(exactly: d.rounded(.towardZero))
        case .string(let s)?: return Int(s)
        default: return nil
        }
    }

    // MARK: Failures

    /// A clear failure for a non-2xx, non-404 reply.
    func failure(for reply: Reply, purpose: Purpose, token: String, tokenIsValid: Bool) async -> VaultFailure {
        if let special = await availabilityFailure(reply) { return special }
        let detail = scrubber.adding(token).scrub(reply.errors.joined(separator: "; "))
        switch reply.status {
        case 403:
            if detail.contains("preflight capability check") {
                return VaultFailure(.permissionDenied, "permission denied: Vault found no mount the token may use for "
                                    + "\(purpose.policyPath) (the mount does not exist or its policy grants nothing under it).")
            }
            if !tokenIsValid {
                return VaultFailure(.authentication, "Vault refused the token (HTTP 403 on \(purpose.policyPath), and the token "
                                    + "cannot look itself up): it is wrong, expired or revoked (or holds no policy at all, not even default). "
                                    + "Give Strata a valid token.")
            }
            return VaultFailure(.permissionDenied, "permission denied: the token may not \(purpose.capability) "
                                + "\(purpose.policyPath); its policy needs \"\(purpose.capability)\" on path \"\(purpose.policyPath)\".")
        case 400:
            return VaultFailure(.badRequest, "Vault refused the request for \(purpose.policyPath): \(detail.isEmpty ? "HTTP 400" : detail).")
        case 401:
            return VaultFailure(.authentication, "Vault asked for authentication on \(purpose.policyPath) (HTTP 401): \(detail).")
        default:
            let what = detail.isEmpty ? "" : ": \(detail)"
            return VaultFailure(.server, "Vault answered HTTP \(reply.status) for \(purpose.policyPath)\(what).")
        }
    }

    /// Sealed, uninitialised or standby-only answers (501/503), checked against `sys/health`.
    func availabilityFailure(_ reply: Reply) async -> VaultFailure? {
        guard reply.status == 503 || reply.status == 501 else { return nil }
        let host = baseURL.displayHost
        if let health = try? await sendRaw("GET", "sys/health", token: nil), let json = health.json {
            if json["initialized"] == .bool(false) {
                return VaultFailure(.uninitialized, "Vault at \(host) is not initialised: run `vault operator init` "
                                    + "(or `bao operator init`) and unseal it; until then no secret can be read.")
            }
            if json["sealed"] == .bool(true) {
                return VaultFailure(.sealed, "Vault at \(host) is sealed: unseal it (`vault operator unseal` or "
                                    + "`bao operator unseal`); until then no secret can be read.")
            }
        }
        let text = reply.errors.joined(separator: "; ").lowercased()
        if text.contains("sealed") {
            return VaultFailure(.sealed, "Vault at \(host) is sealed: unseal it (`vault operator unseal` or "
                                + "`bao operator unseal`); until then no secret can be read.")
        }
        return VaultFailure(.server, "Vault at \(host) is unavailable (HTTP \(reply.status)\(text.isEmpty ? "" : ": " + text)).")
    }

    func describe(_ failure: TransportFailure) -> VaultFailure {
        switch failure.kind {
        case .tls:
            return VaultFailure(.tls, "TLS with Vault at \(failure.host) failed: \(failure.detail). If Vault uses a private CA, "
                                + "set verify to its PEM bundle in the backend kwargs (or VAULT_CACERT); Strata never turns "
                                + "verification off.")
        case .timeout:
            return VaultFailure(.unreachable, "Vault at \(failure.host) did not answer in time (\(failure.detail)).")
        case .badReply:
            return VaultFailure(.unreachable, "Vault at \(failure.host) \(failure.detail).")
        case .unreachable:
            return VaultFailure(.unreachable, "cannot reach Vault at \(failure.host) (\(scrubber.scrub(failure.detail))); "
                                + "check url (or VAULT_ADDR) and that the server is running.")
        }
    }
}
