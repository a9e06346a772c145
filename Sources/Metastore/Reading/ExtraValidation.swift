import Foundation

/// Airflow 3 core's `_validate_extra`: a non-empty `extra` must be a JSON object.
/// Airflow 2 only warns. Returns the Python exception Airflow raises, or nil.
enum ExtraValidation {
    static func problem(_ extra: String?, connID: String) -> AirflowFailure? {
        guard let extra, !extra.isEmpty else { return nil }
        let parsed = try? JSONSerialization.jsonObject(with: Data(extra.utf8), options: [.fragmentsAllowed])
        guard let parsed else {
            if pythonOnlyJSON(extra) { return nil }
            return AirflowFailure(errorClass: "ValueError",
                                  message: "Encountered non-JSON in `extra` field for connection \(pythonRepr(connID)).")
        }
        guard parsed is [String: Any] else {
            return AirflowFailure(errorClass: "ValueError",
                                  message: "Encountered JSON value in `extra` which does not parse as a dictionary in connection \(pythonRepr(connID)). The `extra` field must contain a JSON representation of a Python dict.")
        }
        return nil
    }

    /// Python's json accepts NaN / Infinity, which Foundation rejects; such an object is valid for Airflow.
    private static func pythonOnlyJSON(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}") else { return false }
        let patched = trimmed.replacingOccurrences(of: "-Infinity", with: "0")
            .replacingOccurrences(of: "Infinity", with: "0").replacingOccurrences(of: "NaN", with: "0")
        return (try? JSONSerialization.jsonObject(with: Data(patched.utf8))) is [String: Any]
    }

    static func pythonRepr(_ text: String) -> String {
        if text.contains("'") && !text.contains("\"") { return "\"\(text)\"" }
        return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
