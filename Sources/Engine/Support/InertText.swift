/// The one function that makes outside text (ids, names, values, reasons, file content, server
/// answers, command-line arguments) inert before it reaches a terminal or a log: nothing in it
/// may drive the terminal. The CLI, the TUI, its log file and the operations log all use it.
public enum InertText {
    /// Whether a scalar must never reach a terminal raw: C0/C1 controls, DEL, line and
    /// paragraph separators, bidi embeddings, overrides, isolates and marks, and the BOM.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E
            || v == 0x200F || v == 0x061C || v == 0xFEFF
    }

    /// The text with every unsafe scalar written as a visible escape (`\x1b`, `\u{202e}`).
    public static func make(_ text: String) -> String {
        make(text, keepingLineBreaks: false)
    }

    /// The same, but with `keepingLineBreaks` a `\n` stays a line break (a multi-line message
    /// to stderr); every other control, `\r` included, is still escaped.
    public static func make(_ text: String, keepingLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && !(keepingLineBreaks && $0 == "\n") }) else {
            return text
        }
        var out = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) && !(keepingLineBreaks && scalar == "\n") {
                out += escape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The escape shown for one unsafe scalar.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value <= 0xFF { return "\\x" + (scalar.value < 0x10 ? "0" : "") + hex }
        return "\\u{" + hex + "}"
    }
}
