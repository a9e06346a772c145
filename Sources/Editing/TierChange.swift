import Engine
/// One change to one key of one tier.
public struct TierChange: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Store `value`, as `form` when the value is a connection.
        case set(EditValue, form: ConnectionForm)
        /// Remove the key from the tier.
        case delete
    }

    /// Who checks that the write took.
    public enum Verification: Sendable, Hashable {
        /// The writer reads the key back after writing it (the default).
        case readBack
        /// The caller reads every key again once a whole batch is written (a copy re-resolves
        /// the deployment), so a writer may skip its own read-back; its check-and-set still holds.
        case byCaller
    }

    public var key: SecretKey
    public var action: Action
    public var verification: Verification
    /// The exact name written, when the planner chose it from what the tier holds now: with a
    /// team (Airflow 3.2+ multi-team) an existing value is rewritten under the name that supplies
    /// it — the team's or the global one — and a new key goes under the team's name. Nil: the
    /// tier's lookup name.
    public var name: String?

    public init(key: SecretKey, action: Action, verification: Verification = .readBack, name: String? = nil) {
        self.key = key
        self.action = action
        self.verification = verification
        self.name = name
    }

    /// Store `value` under `key`.
    public static func set(_ key: SecretKey, _ value: EditValue, form: ConnectionForm = .uri) -> TierChange {
        TierChange(key: key, action: .set(value, form: form))
    }

    /// Remove `key`.
    public static func delete(_ key: SecretKey) -> TierChange {
        TierChange(key: key, action: .delete)
    }

    /// The value stored after the change; nil for a delete.
    public var newValue: EditValue? {
        if case .set(let value, _) = action { return value }
        return nil
    }
}
