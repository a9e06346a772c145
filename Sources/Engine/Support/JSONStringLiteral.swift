/// Writes JSON string literals: the escapes every JSON reader takes, with the caller choosing
/// which other characters become `\uXXXX` (controls for files Python reads back, every
/// terminal-active character for Strata's own output).
public enum JSONStringLiteral {
    /// Appends `text` as a quoted JSON string; `escapes` says which other scalars to write as
    /// `\uXXXX` (a surrogate pair beyond the BMP).
    public static func append(_ text: String, to out: inout String, escaping escapes: (Unicode.Scalar) -> Bool) {
        out += "\""
        // Printable ASCII other than `"` and `\` is written as it is: most of what is written,
        // and appending it scalar by scalar was most of the time a listing took.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if escapes(scalar) || scalar.value < 0x20 {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        if value > 0xFFFF {
            let v = value - 0x10000
            return hex4(0xD800 + (v >> 10)) + "\\u" + hex4(0xDC00 + (v & 0x3FF))
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
