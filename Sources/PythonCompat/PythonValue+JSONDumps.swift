extension PythonValue {
    /// Python's `json.dumps(value)` with its defaults (`", "` / `": "` separators,
    /// `ensure_ascii=True`, NaN allowed). Airflow stores a connection's `extra` given as a mapping
    /// in exactly this spelling. Throws Python's `TypeError` for values JSON cannot hold
    /// (dates, bytes, sets), as `json.dumps` does.
    public func pythonJSONDumps() throws -> String {
        var out = ""
        try Self.dump(self, into: &out)
        return out
    }

    private static func dump(_ value: PythonValue, into out: inout String) throws {
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let text): out += text
        case .float(let d): out += jsonFloat(d)
        case .string(let s): appendJSONString(s, into: &out)
        case .list(let items), .tuple(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                try dump(item, into: &out)
            }
            out += "]"
        case .dict(let dict):
            out += "{"
            for (index, pair) in dict.pairs.enumerated() {
                if index > 0 { out += ", " }
                switch pair.key {
                case .string(let s): appendJSONString(s, into: &out)
                case .int(let text): appendJSONString(text, into: &out)
                case .float(let d): appendJSONString(jsonFloat(d), into: &out)
                case .bool(let b): appendJSONString(b ? "true" : "false", into: &out)
                case .none: appendJSONString("null", into: &out)
                default:
                    throw PythonException("TypeError",
                                         "keys must be str, int, float, bool or None, not \(pair.key.pythonTypeName)")
                }
                out += ": "
                try dump(pair.value, into: &out)
            }
            out += "}"
        case .bytes, .date, .datetime, .set:
            throw PythonException("TypeError", "Object of type \(value.pythonTypeName) is not JSON serializable")
        }
    }

    /// `json.dumps` spells floats with `float.__repr__`, except the three non-finite values.
    private static func jsonFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return floatRepr(d)
    }

    /// A JSON string literal with `ensure_ascii=True` escaping.
    package static func appendJSONString(_ s: String, into out: inout String) {
        out += "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}
