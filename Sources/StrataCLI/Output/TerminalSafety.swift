/// Keeps user text (ids, values, file contents) from driving the terminal it is printed to.
public enum TerminalSafety {
    /// Whether a scalar must never reach a terminal raw: C0/C1 controls, DEL, line and
    /// paragraph separators, and the bidi embedding/override/isolate controls.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            || v == 0x061C || v == 0xFEFF
    }

    /// The text with every unsafe scalar written as an inert escape (`\x1b`, `\u{202e}`).
    public static func inert(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += scalar.value <= 0xFF
                    ? "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                    : "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
