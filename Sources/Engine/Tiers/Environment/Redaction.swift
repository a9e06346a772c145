/// Keeps Airflow's error text useful without letting it carry a secret.
enum Redaction {
    /// `ClassName: message`, with any quote of `secretText` (or of the part after its scheme)
    /// replaced, and messages known to embed their input cut before the input.
    static func redact(className: String, message: String, secretText: String) -> String {
        var text = message
        // The Task SDK appends the whole URI: "Invalid connection string: <uri>."
        if let range = text.range(of: "Invalid connection string:") {
            text = String(text[..<range.lowerBound]) + "Invalid connection string."
        }
        if !secretText.isEmpty, text.contains(secretText) {
            text = text.replacingOccurrences(of: secretText, with: "<value>")
        }
        return text.isEmpty ? className : "\(className): \(text)"
    }
}
