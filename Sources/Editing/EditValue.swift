import Engine
/// A value the user wants a tier to hold for one key.
public enum EditValue: Sendable, Hashable {
    /// A variable's text, and its description where the tier keeps one.
    case variable(String, description: String?)
    /// A connection, field by field (its `description` included).
    case connection(Connection)

    /// The value as the resolver compares it.
    public var tierValue: TierValue {
        switch self {
        case .variable(let text, _): return .variable(text)
        case .connection(let connection): return .connection(connection)
        }
    }

    /// The kind of key this value can be stored under.
    public var kind: SecretKind {
        if case .connection = self { return .connection }
        return .variable
    }
}
