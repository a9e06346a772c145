import PythonCompat
/// Reading constructor arguments with Python's semantics: an absent kwarg takes the default,
/// JSON `null` is `None`, and truthiness decides as the provider code does.
enum KwargSetting: Equatable {
    /// `None` (JSON null).
    case none
    case string(String)
    /// A value of a type the parameter does not expect (a number where a prefix belongs…).
    case other(JSONValue)

    init(_ kwargs: JSONObject, _ name: String, default defaultValue: String?) {
        switch kwargs[name] {
        case nil: self = defaultValue.map { .string($0) } ?? .none
        case .null?: self = .none
        case .string(let s)?: self = .string(s)
        case let other?: self = .other(other)
        }
    }

    /// Python truthiness of the value.
    var isTruthy: Bool {
        switch self {
        case .none: return false
        case .string(let s): return !s.isEmpty
        case .other(let v): return v.pythonTruthy
        }
    }
}

extension String {
    /// Python's `str.rstrip(chars)`: drops trailing code points that occur anywhere in `chars`
    /// (a set, not a suffix); an empty `chars` drops nothing.
    func pythonRStrip(_ chars: String) -> String {
        let set = Set(chars.unicodeScalars)
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// `urllib.parse.quote(s)` with the default `safe="/"`: UTF-8 bytes outside
    /// `A-Za-z0-9_.-~/` become `%XX`.
    var pythonURLQuoted: String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

extension JSONValue {
    /// Compact display text (JSON, as `json.dumps` would write it with default separators).
    var displayText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let digits): return digits
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
            return String(d)
        case .string(let s):
            var out = ""
            PythonValue.appendJSONString(s, into: &out)
            return out
        case .array(let items): return "[" + items.map(\.displayText).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { member -> String in
                var key = ""
                PythonValue.appendJSONString(member.key, into: &key)
                return key + ": " + member.value.displayText
            }.joined(separator: ", ") + "}"
        }
    }
}
