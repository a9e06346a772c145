import Engine
import PythonCompat
/// Writes YAML scalars that PyYAML (YAML 1.1) and Go's yaml.v3 both read back as the same
/// string: plain when the text is a simple word both resolve to a string, single-quoted when
/// it is printable on one line, double-quoted with escapes otherwise.
enum YAMLText {
    /// `text` as a YAML scalar that reads back as the string `text`.
    static func scalar(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        if text.unicodeScalars.allSatisfy(isSingleQuotable), text.first != " ", text.last != " " {
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        return doubleQuoted(text)
    }

    /// A double-quoted scalar; every character outside printable ASCII-and-beyond is escaped,
    /// and line breaks of any kind never appear raw (YAML would fold them).
    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x22: out += "\\\""
            case 0x00: out += "\\0"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0B: out += "\\v"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x85: out += "\\N"
            case 0xA0: out += "\\_"
            case 0x2028: out += "\\L"
            case 0x2029: out += "\\P"
            case 0x01...0x1F, 0x7F...0x9F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            case 0xFEFF, 0xFFFE, 0xFFFF:
                out += "\\u" + String(scalar.value, radix: 16, uppercase: true)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Characters that may stand in a single-quoted scalar unchanged: printable, no breaks.
    private static func isSingleQuotable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: return true
        case 0xA1...0xD7FF, 0xE000...0xFFFD: return scalar.value != 0xFEFF && !(0x2028...0x2029).contains(scalar.value)
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// A plain word: starts with a letter, digit, `_` or `/`, holds only `[A-Za-z0-9_./@%+:=-]`,
    /// does not end in `:`, and both YAML 1.1 (PyYAML) and 1.2 (yaml.v3) read it as a string.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.last != ":" else { return false }
        func word(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "/"
        }
        guard word(first) else { return false }
        guard text.unicodeScalars.allSatisfy({ word($0) || ".@%+:=-".unicodeScalars.contains($0) }) else { return false }
        return YAMLResolver.implicitTag(for: text) == YAMLComposer.defaultScalarTag
            && GoYAML.plainScalarKind(text) == .string
    }
}
