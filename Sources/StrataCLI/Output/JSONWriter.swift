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
        JSONStringLiteral.append(s, to: &out, escaping: InertText.needsEscape)
    }
}
