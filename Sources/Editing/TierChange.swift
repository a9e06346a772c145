import Engine
/// One change to one key of one tier.
public struct TierChange: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Store `value`, as `form` when the value is a connection.
        case set(EditValue, form: ConnectionForm)
        /// Remove the key from the tier.
        case delete
    }

    public var key: SecretKey
    public var action: Action

    public init(key: SecretKey, action: Action) {
        self.key = key
        self.action = action
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
