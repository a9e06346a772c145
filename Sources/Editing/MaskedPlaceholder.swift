import Engine
import PythonCompat
/// Recognises the placeholders that masking tools put where a secret was: Airflow's `***`,
/// Strata's `••••••••`, `<masked>`… Writing one back as a value is how Airflow's UI has lost
/// real passwords, so Strata refuses to.
public enum MaskedPlaceholder {
    /// Whether `text` is a placeholder rather than a value someone typed.
    public static func matches(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return false }
        if trimmed.count >= 3, trimmed.allSatisfy({ maskGlyphs.contains($0) }) { return true }
        return words.contains(trimmed.lowercased())
    }

    static let maskGlyphs: Set<Character> = ["*", "•", "●", "∙", "·"]
    static let words: Set<String> = ["<masked>", "<redacted>", "[masked]", "[redacted]", "<hidden>", "<secret>"]

    /// The secret parts of `value` that hold a placeholder, by field name; empty when none.
    public static func fields(in value: EditValue) -> [String] {
        switch value {
        case .variable(let text, _):
            return matches(text) ? ["value"] : []
        case .connection(let connection):
            var found: [String] = []
            if let password = connection.password, matches(password) { found.append("password") }
            if let extra = connection.extra, case .object(let object)? = try? JSONValue.parsePython(extra) {
                for member in object where SensitiveNames.isSensitive(member.key) {
                    if case .string(let text) = member.value, matches(text) { found.append("extra.\(member.key)") }
                }
            }
            if let login = connection.login, matches(login) { found.append("login") }
            return found
        }
    }
}
