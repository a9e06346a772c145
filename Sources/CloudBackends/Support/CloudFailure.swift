import Engine

/// A failure talking to a cloud service. The message says what happened and what to check,
/// and never carries a token, key or secret value.
struct CloudFailure: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case notFound, alreadyExists, permissionDenied, unauthenticated, invalidArgument, disabled, throttled
        case badCredentials, clockSkew, malformed, unavailable, configuration, other
    }
    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
    var tierError: TierError { TierError(message) }

    /// Whether a read that ended so should narrow an adaptive window: the service pushed back.
    static func isPushback<Value>(_ outcome: Result<Value, CloudFailure>) -> Bool {
        guard case .failure(let failure) = outcome else { return false }
        return failure.kind == .throttled || failure.kind == .unavailable
    }
}

extension Error {
    /// This error as a `TierError`, keeping its message (`CloudFailure` messages are already safe).
    var asTierError: TierError {
        if let error = self as? TierError { return error }
        if let failure = self as? CloudFailure { return failure.tierError }
        return TierError("request failed: \(type(of: self))")
    }
}
