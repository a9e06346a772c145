import Engine

/// A failure talking to Vault or OpenBao. The message says what happened and what to do, and
/// never carries a token, secret id, password, JWT or secret value.
public typealias VaultFailure = KindedFailure<VaultFailureKind>

/// The kinds of `VaultFailure`.
public enum VaultFailureKind: String, Sendable, Hashable {
    /// 503 from a sealed server.
    case sealed
    /// 501/503 from a server that was never initialised.
    case uninitialized
    /// 403: the token may not do this on this path.
    case permissionDenied
    /// A login was refused, or no token could be found.
    case authentication
    /// The mount does not exist, is not a KV engine, or has another KV version.
    case wrongMount
    /// A check-and-set write lost against a concurrent change.
    case conflict
    /// No HTTP answer: refused, reset, timed out.
    case unreachable
    /// The certificate is not trusted or does not match.
    case tls
    /// The kwargs cannot work (an auth method Strata does not support, a missing file…).
    case configuration
    /// 400: the request was refused as malformed.
    case badRequest
    /// Any other status, or a reply that is not the JSON Vault sends.
    case server
}

extension Error {
    /// This error as a `TierError` with a message safe to show.
    var asVaultTierError: TierError {
        if let error = self as? TierError { return error }
        if let failure = self as? VaultFailure { return TierError(failure.message) }
        return TierError("Vault request failed (\(type(of: self)))")
    }
}

/// Removes known secret strings from text that may echo a request (defence in depth: Vault's
/// own error texts do not quote credentials, but a proxy's might).
struct SecretScrubber: Sendable {
    private var secrets: [String]

    init(_ secrets: [String?]) {
        self.secrets = secrets.compactMap { $0 }.filter { $0.count >= 4 }
    }

    func scrub(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "***")
        }
        return out
    }

    func adding(_ secret: String?) -> SecretScrubber {
        var copy = self
        if let secret, secret.count >= 4, !copy.secrets.contains(secret) { copy.secrets.append(secret) }
        return copy
    }
}
