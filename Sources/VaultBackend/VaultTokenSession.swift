import Foundation
import Engine

/// The token a client sends, and its life: logs in on first use, renews a renewable token
/// when two thirds of its TTL have passed, and logs in again when the token cannot be renewed
/// or was refused. One login at a time, however many requests wait for it.
actor VaultTokenSession {
    private let auth: VaultAuthMethod
    private let clock: any WallClock
    private var token: String?
    /// When to renew (or log in again); `nil` when the token does not expire or its TTL is unknown.
    private var refreshAt: Date?
    private var renewable = false
    private var inFlight: Task<String, any Error>?
    /// Counters for tests and the benchmark.
    private(set) var logins = 0
    private(set) var renewals = 0

    init(auth: VaultAuthMethod, clock: any WallClock) {
        self.auth = auth
        self.clock = clock
    }

    /// A token to send now.
    func currentToken(client: VaultClient) async throws -> String {
        if let inFlight { return try await inFlight.value }
        if let token {
            guard let refreshAt, clock.now() >= refreshAt else { return token }
            return try await run { try await self.refresh(current: token, client: client) }
        }
        return try await run { try await self.acquire(client: client) }
    }

    /// Forgets `rejected` after Vault refused it, so the next request logs in again. Returns
    /// whether a retry can help (only methods that log in can get a new token).
    func invalidate(_ rejected: String) -> Bool {
        guard auth.canLogIn else { return false }
        if token == rejected { token = nil; refreshAt = nil }
        return true
    }

    var counts: (logins: Int, renewals: Int) { (logins, renewals) }

    private func run(_ work: @escaping @Sendable () async throws -> String) async throws -> String {
        let task = Task { try await work() }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }

    private func acquire(client: VaultClient) async throws -> String {
        switch auth {
        case .token(let source):
            let value = try source.read(what: "Vault token")
            store(token: value, ttl: nil, renewable: false)
            // The TTL decides when to renew; a token without `lookup-self` permission just is not renewed.
            if let info = try? await client.lookupSelf(token: value) {
                store(token: value, ttl: info.ttl, renewable: info.renewable)
            }
            return value
        default:
            return try await logIn(client: client)
        }
    }

    private func logIn(client: VaultClient) async throws -> String {
        guard let login = try auth.loginRequest() else { return try await acquire(client: client) }
        let granted = try await client.logIn(path: login.path, body: login.body, extraSecrets: login.secrets,
                                             method: auth.description)
        logins += 1
        store(token: granted.token, ttl: granted.ttl, renewable: granted.renewable)
        return granted.token
    }

    private func refresh(current: String, client: VaultClient) async throws -> String {
        if renewable, let renewed = try? await client.renewSelf(token: current) {
            renewals += 1
            store(token: renewed.token, ttl: renewed.ttl, renewable: renewed.renewable)
            return renewed.token
        }
        if auth.canLogIn { return try await logIn(client: client) }
        // A static token that cannot be renewed is used until Vault refuses it.
        refreshAt = nil
        return current
    }

    private func store(token: String, ttl: Int?, renewable: Bool) {
        self.token = token
        self.renewable = renewable
        if let ttl, ttl > 0 {
            refreshAt = clock.now().addingTimeInterval(Double(ttl) * 2 / 3)
        } else {
            refreshAt = nil
        }
    }
}

/// A token Vault granted: by a login (`auth`) or a renewal.
struct GrantedToken: Sendable {
    var token: String
    /// Seconds; 0 or `nil` = does not expire.
    var ttl: Int?
    var renewable: Bool
}
