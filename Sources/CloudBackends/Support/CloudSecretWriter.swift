import Editing
import Engine

/// Writes values to a cloud secrets tier (Secret Manager, Key Vault). Every write adds a new
/// version and is verified by reading the name back.
public protocol CloudSecretWriter: Sendable {
    /// The name `key` is stored under, or why Airflow would never read it from this tier.
    func lookupName(for key: SecretKey) -> LookupName

    /// Stores `text` as the current value of `key` (creating the secret when needed), reads it
    /// back and compares. Throws a `TierError` naming what to check; the message never holds `text`.
    func write(_ text: String, for key: SecretKey) async throws -> CloudWriteReceipt
}

/// What a verified write produced.
public struct CloudWriteReceipt: Sendable, Hashable {
    /// The secret's name in the service.
    public var name: String
    /// The version the write created (Secret Manager's number, Key Vault's version id).
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

extension CloudSecretWriter {
    /// The name for `key`, or a `TierError` when the tier never holds it.
    func requireName(for key: SecretKey) throws -> String {
        switch lookupName(for: key) {
        case .name(let name): return name
        case .skipped(let reason): throw TierError("cannot write \(key): \(reason).")
        }
    }
}
