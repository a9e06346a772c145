import Engine

extension JSONValue {
    /// Python truthiness of the decoded kwarg (`if value:`).
    var isTruthyKwarg: Bool {
        switch self {
        case .null: return false
        case .bool(let flag): return flag
        case .integer(let digits): return digits.trimmingCharacters(in: ["-", "+", "0"]) != ""
        case .float(let number): return number != 0
        case .string(let text): return !text.isEmpty
        case .array(let items): return !items.isEmpty
        case .object(let object): return !object.isEmpty
        }
    }

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
