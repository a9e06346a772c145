/// Airflow's rule for names whose values are secrets (`DEFAULT_SENSITIVE_FIELDS` in its
/// secrets masker): a key is sensitive when it contains one of these words, ignoring case.
public enum SensitiveNames {
    public static let words: [String] = [
        "access_token", "api_key", "apikey", "authorization", "passphrase", "passwd", "password",
        "private_key", "secret", "token", "keyfile_dict", "service_account",
    ]

    public static func isSensitive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return words.contains { lower.contains($0) }
    }
}
