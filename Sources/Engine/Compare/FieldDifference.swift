/// The parts of a value that can differ between two places: a variable's text, or a
/// connection's fields and each key of its extra.
public enum ValueField: Hashable, Sendable, Comparable, CustomStringConvertible {
    case value
    case connType, host, login, password, schema, port
    /// The whole extra, when it is not a JSON object on one side.
    case extra
    /// One key of the extra object.
    case extraKey(String)

    public var description: String {
        switch self {
        case .value: return "value"
        case .connType: return "conn_type"
        case .host: return "host"
        case .login: return "login"
        case .password: return "password"
        case .schema: return "schema"
        case .port: return "port"
        case .extra: return "extra"
        case .extraKey(let key): return "extra.\(key)"
        }
    }

    /// Whether the field usually holds a secret, so it is compared without being shown.
    public var isSecret: Bool {
        switch self {
        case .value, .password, .extra: return true
        case .extraKey(let key): return SensitiveNames.isSensitive(key)
        default: return false
        }
    }

    public static func < (lhs: ValueField, rhs: ValueField) -> Bool { lhs.description < rhs.description }
}

extension TierValue {
    /// The fields whose values differ from `other`'s. Empty when the two are equivalent.
    public func differingFields(from other: TierValue) -> [ValueField] {
        switch (self, other) {
        case let (.variable(a), .variable(b)):
            return a == b ? [] : [.value]
        case let (.connection(a), .connection(b)):
            var fields: [ValueField] = []
            if a.connType != b.connType { fields.append(.connType) }
            if a.host != b.host { fields.append(.host) }
            if a.login != b.login { fields.append(.login) }
            if a.password != b.password { fields.append(.password) }
            if a.schema != b.schema { fields.append(.schema) }
            if a.port != b.port || a.verbatim["port"] != b.verbatim["port"] { fields.append(.port) }
            fields += ExtraDocument.differingKeys(a.extra, b.extra)
            return fields
        default:
            return [.value]
        }
    }
}
