import PythonCompat

/// Python's `json.dumps(value, indent=2)`: what `Variable.set(..., serialize_json=True)` stores
/// for a variable whose value in an imported file is not a string (a number, a mapping, a list).
enum PythonIndentedJSON {
    /// The text, or Python's `TypeError` for values JSON cannot hold (dates, bytes, sets).
    static func dumps(_ value: PythonValue) throws -> String {
        var out = ""
        try dump(value, level: 0, into: &out)
        return out
    }

    private static func dump(_ value: PythonValue, level: Int, into out: inout String) throws {
        switch value {
        case .list(let items), .tuple(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                out += String(repeating: " ", count: 2 * (level + 1))
                try dump(item, level: level + 1, into: &out)
            }
            out += "\n" + String(repeating: " ", count: 2 * level) + "]"
        case .dict(let dict):
            if dict.pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (index, pair) in dict.pairs.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                out += String(repeating: " ", count: 2 * (level + 1))
                // Keys are spelled as `json.dumps` spells them: a one-member dict dumped alone.
                let key = try PythonValue.dict(PythonDict([(pair.key, .none)])).pythonJSONDumps()
                out += key.dropFirst().dropLast(": null}".count)
                out += ": "
                try dump(pair.value, level: level + 1, into: &out)
            }
            out += "\n" + String(repeating: " ", count: 2 * level) + "}"
        default:
            // Scalars are spelled the same with or without indent.
            out += try value.pythonJSONDumps()
        }
    }
}
