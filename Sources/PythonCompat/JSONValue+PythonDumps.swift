/// `json.dumps` with Python's defaults, and the few Python built-ins (`str`, `repr`, `bool`,
/// `type(x).__name__`) that Airflow applies to decoded JSON values.
extension JSONValue {
    /// Python json.dumps defaults: ", " and ": " separators, ensure_ascii (\uXXXX, surrogate
    /// pairs), float repr like Python (1.0, 1e+16, NaN, Infinity), key order kept.
    public func pythonDumps() -> String {
        var out = ""
        Self.dump(self, into: &out)
        return out
    }

    private static func dump(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let text): out += text
        case .float(let d): out += jsonFloat(d)
        case .string(let s): appendPythonJSONString(s, into: &out)
        case .array(let items):
            out += "["
            var first = true
            for item in items {
                if !first { out += ", " }
                first = false
                dump(item, into: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            var first = true
            for (key, member) in object {
                if !first { out += ", " }
                first = false
                appendPythonJSONString(key, into: &out)
                out += ": "
                dump(member, into: &out)
            }
            out += "}"
        }
    }

    /// `json.dumps` spells floats with `float.__repr__`, except the three non-finite values.
    package static func jsonFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return pythonFloatRepr(d)
    }

    /// `repr(float)`: shortest round-trip digits; exponent form below 1e-4 and from 1e16 on.
    package static func pythonFloatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description uses the same shortest round-trip digits and the same switch
        // points to exponent form as CPython; only the exponent spelling differs (e+16 vs e16).
        let text = d.description
        guard let e = text.firstIndex(of: "e") else { return text }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = Substring(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") { sign = "-"; exponent = exponent.dropFirst() }
        else if exponent.hasPrefix("+") { exponent = exponent.dropFirst() }
        return mantissa + "e" + sign + (exponent.count < 2 ? "0" : "") + exponent
    }

    /// A JSON string literal with `ensure_ascii=True` escaping (`c_encode_basestring_ascii`).
    package static func appendPythonJSONString(_ s: String, into out: inout String) {
        if isPlainJSON(s) {
            out += "\""
            out += s
            out += "\""
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(s.utf8.count + 16)
            appendPythonJSONString(s, into: &bytes)
            out += String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Turns the UTF-8 text at the end of `out`, from `start` on, into its `json.dumps` string
    /// literal in place: writers that produce text as bytes need no string made of it.
    package static func quotePythonJSONString(in out: inout [UInt8], from start: Int) {
        let plain = out.withUnsafeBufferPointer { bytes in
            bytes[start...].allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
        }
        if plain {
            out.insert(0x22, at: start)
            out.append(0x22)
        } else {
            let text = String(decoding: out[start...], as: UTF8.self)
            out.removeSubrange(start...)
            appendPythonJSONString(text, into: &out)
        }
    }

    /// The same literal as UTF-8 bytes, for writers that build whole output lines as bytes.
    package static func appendPythonJSONString(_ s: String, into out: inout [UInt8]) {
        let opening = out.count
        out.append(0x22)
        // Native strings are contiguous UTF-8: runs of printable ASCII are copied whole, and
        // only what needs an escape is written byte by byte.
        let done = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C { continue }
                guard byte < 0x80 else { return false }
                if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                appendEscape(forASCII: byte, to: &out)
                runStart = index + 1
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
            return true
        }
        if done != true {
            // Non-ASCII text (or a bridged string): start again, code point by code point.
            out.removeSubrange((opening + 1)...)
            for scalar in s.unicodeScalars {
                if scalar.isASCII {
                    let byte = UInt8(scalar.value)
                    if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                        out.append(byte)
                    } else {
                        appendEscape(forASCII: byte, to: &out)
                    }
                } else {
                    // \uXXXX per UTF-16 code unit: a surrogate pair beyond the BMP.
                    for unit in scalar.utf16 { appendUnicodeEscape(unit, to: &out) }
                }
            }
        }
        out.append(0x22)
    }

    /// `c_encode_basestring_ascii`'s escape for an ASCII byte that cannot be written as itself.
    @inline(__always)
    private static func appendEscape(forASCII byte: UInt8, to out: inout [UInt8]) {
        out.append(0x5C)
        switch byte {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            out.removeLast()
            appendUnicodeEscape(UInt16(byte), to: &out)
        }
    }

    private static func appendUnicodeEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out += [0x5C, UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(lowerHexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    /// Printable ASCII without quote or backslash: the common case, which needs no escaping.
    private static func isPlainJSON(_ s: String) -> Bool {
        for byte in s.utf8 where byte < 0x20 || byte >= 0x7F || byte == 0x22 || byte == 0x5C {
            return false
        }
        return true
    }

    /// `json.dumps(self)` appended as UTF-8 bytes.
    package func pythonDumps(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        case .string(let s): Self.appendPythonJSONString(s, into: &out)
        case .integer(let text): out.append(contentsOf: text.utf8)
        default: out.append(contentsOf: pythonDumps().utf8)
        }
    }

    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Python's `bool(x)` of the value `json.loads` returns (`if value:`).
    public var pythonTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .integer(let digits): return digits.contains { $0 != "0" && $0 != "-" && $0 != "+" }
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let items): return !items.isEmpty
        case .object(let object): return !object.isEmpty
        }
    }

    /// `type(x).__name__`, for messages that name what a value decoded as.
    public var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .integer: return "int"
        case .float: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }

    /// Python's `repr(x)`.
    package var pythonRepr: String {
        switch self {
        case .string(let s): return PythonValue.stringRepr(s)
        case .array(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.map { PythonValue.stringRepr($0.key) + ": " + $0.value.pythonRepr }
                .joined(separator: ", ") + "}"
        default: return pythonStr
        }
    }

    /// Python's `str(x)`.
    package var pythonStr: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .integer(let text): return text
        case .float(let d): return Self.pythonFloatRepr(d)
        case .string(let s): return s
        case .array, .object: return pythonRepr
        }
    }
}
