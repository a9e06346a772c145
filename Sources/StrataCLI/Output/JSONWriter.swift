import Engine
import PythonCompat

/// Writes JSON for people and scripts: UTF-8, two-space indentation, member order kept.
/// Control characters, line/paragraph separators and bidi controls are escaped so that
/// piping the output to a terminal can never drive it.
public enum JSONWriter {
    public static func render(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        write(value, into: &out, indent: pretty ? 0 : nil)
        return out
    }

    /// Prints `render(.array(items.map(entry)), pretty: true)` and a newline, building and
    /// writing one entry at a time: a listing of a million keys is never held as one value
    /// or one string.
    public static func printArray<S: Sequence>(_ items: S, _ entry: (S.Element) -> JSONValue) {
        writeArray(items, entry) { print($0, terminator: "") }
        print()
    }

    /// `render(.array(items.map(entry)), pretty: true)`, handed to `emit` in pieces of about 64 KB.
    static func writeArray<S: Sequence>(_ items: S, _ entry: (S.Element) -> JSONValue, emit: (String) -> Void) {
        var out = ""
        var first = true
        for item in items {
            out += first ? "[" : ","
            first = false
            newline(&out, 1)
            write(entry(item), into: &out, indent: 1)
            if out.utf8.count >= 1 << 16 {
                emit(out)
                out = ""
            }
        }
        if first {
            out += "[]"
        } else {
            newline(&out, 0)
            out += "]"
        }
        emit(out)
    }

    private static func write(_ value: JSONValue, into out: inout String, indent: Int?) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let digits): out += digits
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += "\(d)" }
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                write(item, into: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out += "]"
        case .object(let object):
            if object.isEmpty { out += "{}"; return }
            out += "{"
            var first = true
            for (key, member) in object {
                if !first { out += "," }
                first = false
                newline(&out, indent.map { $0 + 1 })
                writeString(key, into: &out)
                out += indent == nil ? ":" : ": "
                write(member, into: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        // Printable ASCII other than `"` and `\` is written as it is: most of what a listing
        // holds, and appending it scalar by scalar was most of the time `list --json` took.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if InertText.needsEscape(scalar) {
                    out += "\\u" + String(format4(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func format4(_ value: UInt32) -> String {
        if value > 0xFFFF {
            let v = value - 0x10000
            return format4(0xD800 + (v >> 10)) + "\\u" + format4(0xDC00 + (v & 0x3FF))
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
