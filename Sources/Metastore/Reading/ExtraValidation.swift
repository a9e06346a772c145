import Engine
import PythonCompat

/// Airflow 3 core's `_validate_extra`: a non-empty `extra` must be a JSON object (parsed with
/// Python's `json.loads`, NaN and all). Airflow 2 only warns. Returns the exception Airflow
/// raises, or nil.
enum ExtraValidation {
    static func problem(_ extra: String?, connID: String) -> AirflowFailure? {
        guard let extra, !extra.isEmpty else { return nil }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parsePython(extra)
        } catch {
            return AirflowFailure(errorClass: "ValueError",
                                  message: "Encountered non-JSON in `extra` field for connection \(pythonRepr(connID)).")
        }
        guard case .object = parsed else {
            return AirflowFailure(errorClass: "ValueError",
                                  message: "Encountered JSON value in `extra` which does not parse as a dictionary in connection \(pythonRepr(connID)). The `extra` field must contain a JSON representation of a Python dict.")
        }
        return nil
    }

    /// Python's `repr` of a str, as the message's `{conn_id!r}` prints it.
    static func pythonRepr(_ text: String) -> String {
        if text.contains("'") && !text.contains("\"") { return "\"\(text)\"" }
        return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
