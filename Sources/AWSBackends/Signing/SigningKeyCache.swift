import Foundation
import Crypto

/// The last SigV4 signing key derived, kept so that the requests of one load (hundreds, all
/// on the same day, region and service) derive it once instead of with four HMACs each — what
/// the AWS SDKs do too.
///
/// The entry is found by a digest of the secret, not the secret itself, so the cache holds no
/// copy of the credential beyond the key derived from it.
final class SigningKeyCache: @unchecked Sendable {
    static let shared = SigningKeyCache()

    private struct Scope: Equatable {
        var secretDigest: SHA256.Digest
        var day: String
        var region: String
        var service: String
    }

    private let lock = NSLock()
    private var last: (scope: Scope, key: SymmetricKey)?

    /// The signing key for this scope, derived on first use.
    func key(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        let scope = Scope(secretDigest: SHA256.hash(data: Array(secret.utf8)), day: day, region: region, service: service)
        if let cached = lock.withLock({ last }), cached.scope == scope { return cached.key }
        let key = SigV4Signer.signingKey(secret: secret, day: day, region: region, service: service)
        lock.withLock { last = (scope, key) }
        return key
    }
}
