import Foundation

/// An OAuth 2 bearer token and when it stops working. `description` never shows the token.
struct AccessToken: Sendable, CustomStringConvertible {
    let value: String
    let expiresAt: Date

    var description: String { "access token (expires \(expiresAt))" }
}

/// Holds one token per scope and fetches a new one shortly before expiry; concurrent callers
/// share one fetch.
actor AccessTokenCache {
    /// Tokens are renewed this long before they expire (google-auth and azure-identity use a few minutes).
    private let renewalMargin: TimeInterval
    private var tokens: [String: AccessToken] = [:]
    private var inFlight: [String: Task<AccessToken, any Error>] = [:]
    private(set) var fetchCount = 0

    init(renewalMargin: TimeInterval = 300) {
        self.renewalMargin = renewalMargin
    }

    func token(for scope: String, now: Date, fetch: @escaping @Sendable () async throws -> AccessToken) async throws -> AccessToken {
        if let token = tokens[scope], token.expiresAt.timeIntervalSince(now) > renewalMargin { return token }
        if let task = inFlight[scope] { return try await task.value }
        fetchCount += 1
        let task = Task { try await fetch() }
        inFlight[scope] = task
        defer { inFlight[scope] = nil }
        let token = try await task.value
        tokens[scope] = token
        return token
    }

    /// Forgets a token the service refused, so the next call fetches a new one.
    func invalidate(scope: String) {
        tokens[scope] = nil
    }
}
