import Engine

extension JSONValue {
    /// The Python type name for messages.
    var kwargTypeName: String {
        switch self {
        case .null: return "None"
        case .bool: return "bool"
        case .integer: return "int"
        case .float: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }
}
