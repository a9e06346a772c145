import Engine
import PythonCompat

/// A variable being edited: its text (several lines allowed) and its description.
public struct VariableDraft: Sendable, Hashable {
    public var text: String
    public var description: String?
    /// Whether the value stays masked until revealed (x). Every variable read from a tier is:
    /// a value is a secret whatever its name; only a draft typed from nothing starts clear.
    public var isSensitive: Bool

    public init(text: String, description: String?, isSensitive: Bool) {
        self.text = text
        self.description = description
        self.isSensitive = isSensitive
    }

    /// What a JSON check says about the value, when it looks like JSON (starts with `{` or `[`):
    /// nil when it does not; otherwise valid, or Python's `json.loads` error.
    public var jsonCheck: Result<String, AirflowError>? {
        let trimmed = text.trimmingSpaces
        guard let first = trimmed.first, first == "{" || first == "[" else { return nil }
        switch JSONValue.parsePythonResult(trimmed) {
        case .success(.object(let object)): return .success("valid JSON object, \(object.count) key\(object.count == 1 ? "" : "s")")
        case .success(.array(let items)): return .success("valid JSON array, \(items.count) item\(items.count == 1 ? "" : "s")")
        case .success: return .success("valid JSON")
        case .failure(let error): return .failure(error)
        }
    }
}
