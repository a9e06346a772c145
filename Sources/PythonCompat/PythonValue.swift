/// A Python object as `json.loads` or PyYAML's `safe_load` produce it. Airflow keeps these values
/// with their Python types (a YAML `port: "3306"` stays a `str`, `yes` becomes `True`, a date a
/// `datetime.date`), and what a DAG sees depends on those types, so Strata keeps them too.
///
/// Scalars are stored inline (a value is two words): boxing every string, as an `indirect`
/// enum would, costs an allocation per value on files with hundreds of thousands of them.
public enum PythonValue: Sendable, Hashable {
    case none
    case bool(Bool)
    /// A Python `int`, kept as its decimal text so that no precision is lost.
    case int(String)
    case float(Double)
    case string(String)
    /// `bytes`, from YAML `!!binary`.
    case bytes([UInt8])
    indirect case date(PythonDate)
    indirect case datetime(PythonDateTime)
    case list([PythonValue])
    /// A `tuple`, from the items of YAML `!!omap` / `!!pairs`.
    case tuple([PythonValue])
    /// A `set`, from YAML `!!set`; members in document order.
    case set([PythonValue])
    indirect case dict(PythonDict)
}

/// `datetime.date`.
public struct PythonDate: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `date.isoformat()`, which is also `str(date)`.
    public var isoFormat: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    package static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// `datetime.datetime`, naive or with a fixed UTC offset (all PyYAML produces).
public struct PythonDateTime: Sendable, Hashable {
    public var date: PythonDate
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var microsecond: Int
    /// The UTC offset in seconds, or `nil` for a naive datetime.
    public var utcOffsetSeconds: Int?

    public init(date: PythonDate, hour: Int, minute: Int, second: Int, microsecond: Int = 0,
                utcOffsetSeconds: Int? = nil) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// `datetime.isoformat(sep)`; `str(datetime)` uses a space as separator.
    public func isoFormat(separator: String = "T") -> String {
        var text = date.isoFormat + separator
            + "\(PythonDate.pad(hour, 2)):\(PythonDate.pad(minute, 2)):\(PythonDate.pad(second, 2))"
        if microsecond != 0 { text += "." + PythonDate.pad(microsecond, 6) }
        if let offset = utcOffsetSeconds {
            let sign = offset < 0 ? "-" : "+"
            let magnitude = abs(offset)
            text += "\(sign)\(PythonDate.pad(magnitude / 3600, 2)):\(PythonDate.pad(magnitude % 3600 / 60, 2))"
            if magnitude % 60 != 0 { text += ":" + PythonDate.pad(magnitude % 60, 2) }
        }
        return text
    }
}

/// An insertion-ordered Python `dict` whose keys may be any hashable Python value.
/// Assigning an existing key keeps its position and replaces the value, as Python does.
public struct PythonDict: Sendable, Hashable {
    public private(set) var keys: [PythonValue] = []
    public private(set) var values: [PythonValue] = []
    /// Positions by key, kept only once the dict is large: small dicts (a connection's fields)
    /// are searched linearly, which is faster than hashing and saves an allocation.
    private var positions: [PythonValue.HashKey: Int] = [:]
    private static let indexThreshold = 12

    public init() {}

    public init(_ pairs: [(PythonValue, PythonValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Makes room for `count` members in all, so building a large dict does not keep regrowing.
    public mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        if count > Self.indexThreshold { positions.reserveCapacity(count) }
    }

    private func position(of hashKey: PythonValue.HashKey) -> Int? {
        if keys.count > Self.indexThreshold { return positions[hashKey] }
        return keys.firstIndex { $0.hashKey == hashKey }
    }

    public subscript(key: PythonValue) -> PythonValue? {
        get { position(of: key.hashKey).map { values[$0] } }
        set {
            let hashKey = key.hashKey
            if let newValue {
                if let position = position(of: hashKey) {
                    values[position] = newValue
                } else {
                    keys.append(key)
                    values.append(newValue)
                    if keys.count > Self.indexThreshold {
                        if positions.isEmpty {
                            for (index, existing) in keys.enumerated() { positions[existing.hashKey] = index }
                        } else {
                            positions[hashKey] = keys.count - 1
                        }
                    }
                }
            } else if let position = position(of: hashKey) {
                keys.remove(at: position)
                values.remove(at: position)
                positions = [:]
                if keys.count > Self.indexThreshold {
                    for (index, existing) in keys.enumerated() { positions[existing.hashKey] = index }
                }
            }
        }
    }

    /// Looks a value up by string key, as `dict.get(str)` does.
    public subscript(string key: String) -> PythonValue? { self[.string(key)] }

    /// The members in order.
    public var pairs: [(key: PythonValue, value: PythonValue)] {
        keys.indices.map { (key: keys[$0], value: values[$0]) }
    }

    public static func == (lhs: PythonDict, rhs: PythonDict) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension PythonValue {
    /// Python's notion of key equality: `True == 1 == 1.0`, so they are the same dict key.
    package struct HashKey: Hashable {
        package var value: PythonValue
    }

    package var hashKey: HashKey {
        switch self {
        case .bool(let b): return HashKey(value: .int(b ? "1" : "0"))
        case .float(let d) where d == d.rounded() && abs(d) < 1e18: return HashKey(value: .int(String(Int64(d))))
        case .int(let text) where text == "-0": return HashKey(value: .int("0"))
        default: return HashKey(value: self)
        }
    }

    /// Whether the value is hashable in Python (lists, sets and dicts are not).
    public var isHashable: Bool {
        switch self {
        case .list, .set, .dict: return false
        case .tuple(let items): return items.allSatisfy(\.isHashable)
        default: return true
        }
    }

    /// Python's `type(value).__name__`.
    public var pythonTypeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .date: return "date"
        case .datetime: return "datetime"
        case .list: return "list"
        case .tuple: return "tuple"
        case .set: return "set"
        case .dict: return "dict"
        }
    }

    /// Python's truthiness (`bool(value)`).
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let text): return text.contains { $0 != "0" && $0 != "-" }
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .bytes(let b): return !b.isEmpty
        case .date, .datetime: return true
        case .list(let items), .tuple(let items), .set(let items): return !items.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// The string payload, when this is a `str`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Python's `str(value)`.
    public var pythonStr: String {
        switch self {
        case .string(let s): return s
        case .date(let d): return d.isoFormat
        case .datetime(let dt): return dt.isoFormat(separator: " ")
        default: return pythonRepr
        }
    }

    /// Python's `repr(value)`.
    public var pythonRepr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let text): return text
        case .float(let d): return Self.floatRepr(d)
        case .string(let s): return Self.stringRepr(s)
        case .bytes(let b): return Self.bytesRepr(b)
        case .date(let d): return "datetime.date(\(d.year), \(d.month), \(d.day))"
        case .datetime(let dt):
            var parts = [dt.date.year, dt.date.month, dt.date.day, dt.hour, dt.minute].map(String.init)
            if dt.second != 0 || dt.microsecond != 0 { parts.append(String(dt.second)) }
            if dt.microsecond != 0 { parts.append(String(dt.microsecond)) }
            var text = "datetime.datetime(" + parts.joined(separator: ", ")
            if let offset = dt.utcOffsetSeconds {
                text += offset == 0 ? ", tzinfo=datetime.timezone.utc"
                    : ", tzinfo=datetime.timezone(datetime.timedelta(\(Self.timedeltaArguments(offset))))"
            }
            return text + ")"
        case .list(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let items):
            if items.count == 1 { return "(" + items[0].pythonRepr + ",)" }
            return "(" + items.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .set(let items):
            return items.isEmpty ? "set()" : "{" + items.map(\.pythonRepr).joined(separator: ", ") + "}"
        case .dict(let dict):
            return "{" + dict.pairs.map { $0.key.pythonRepr + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        }
    }

    private static func timedeltaArguments(_ seconds: Int) -> String {
        // timedelta normalises to days + seconds with 0 <= seconds < 86400.
        let days = seconds < 0 ? -1 : 0
        let rest = seconds - days * 86400
        if days != 0 { return rest == 0 ? "days=-1" : "days=-1, seconds=\(rest)" }
        return "seconds=\(rest)"
    }

    /// `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 ..< 1e16.
    package static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description already uses the shortest round-trip digits and switches to
        // exponent form at the same thresholds as CPython; only the spelling differs.
        var text = d.description
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var exponent = String(text[text.index(after: e)...])
            var sign = "+"
            if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() } else if exponent.hasPrefix("+") { exponent.removeFirst() }
            if exponent.count < 2 { exponent = "0" + exponent }
            text = mantissa + "e" + sign + exponent
        }
        return text
    }

    /// `repr(str)`: single quotes unless the text holds `'` and no `"`; non-printable characters escaped.
    package static func stringRepr(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.isPythonPrintable {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    out += "\\x" + hex(scalar.value, 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, 4)
                } else {
                    out += "\\U" + hex(scalar.value, 8)
                }
            }
        }
        out.append(quote)
        return out
    }

    package static func bytesRepr(_ bytes: [UInt8]) -> String {
        let hasSingle = bytes.contains(0x27), hasDouble = bytes.contains(0x22)
        let quote: UInt8 = (hasSingle && !hasDouble) ? 0x22 : 0x27
        var out = "b" + String(UnicodeScalar(quote))
        for byte in bytes {
            switch byte {
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case quote: out += "\\" + String(UnicodeScalar(quote))
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(byte))
            default: out += "\\x" + hex(UInt32(byte), 2)
            }
        }
        return out + String(UnicodeScalar(quote))
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The value as JSON, the way the fixtures record it: dates in ISO 8601, tuples and sets as
    /// arrays, bytes as text, non-string keys by their `str()`.
    public var jsonValue: JSONValue {
        switch self {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let text): return .integer(text)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .bytes: return .string(pythonStr)
        case .date(let d): return .string(d.isoFormat)
        case .datetime(let dt): return .string(dt.isoFormat())
        case .list(let items), .tuple(let items), .set(let items): return .array(items.map(\.jsonValue))
        case .dict(let dict):
            var object = JSONObject()
            for (key, value) in dict.pairs { object[key.pythonStr] = value.jsonValue }
            return .object(object)
        }
    }

    /// The Python value `json.loads` gives for a JSON document.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .integer(let text): self = .int(text)
        case .float(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(PythonValue.init))
        case .object(let object):
            var dict = PythonDict()
            for (key, value) in object { dict[.string(key)] = PythonValue(value) }
            self = .dict(dict)
        }
    }
}

extension Unicode.Scalar {
    /// Python's `str.isprintable()` for one character: not in categories Cc, Cf, Cs, Co, Cn,
    /// Zl, Zp, Zs — except the ASCII space, which is printable.
    package var isPythonPrintable: Bool {
        if self == " " { return true }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
