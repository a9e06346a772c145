import Engine
import PythonCompat

/// Reads a backend's kwargs the way its Python constructor receives them: a missing key takes
/// the constructor's default, JSON `null` is Python's `None`.
struct BackendKwargs {
    let kwargs: JSONObject
    /// Names the setting in messages, e.g. "AIRFLOW__SECRETS__BACKEND_KWARGS".
    let origin: String

    init(_ configuration: BackendConfiguration) {
        kwargs = configuration.kwargs
        origin = configuration.sources.first { $0.hasSuffix("KWARGS") } ?? "the backend kwargs"
    }

    /// A string kwarg; `nil` when it is JSON null (or missing with a `nil` default).
    func string(_ key: String, default fallback: String?) throws -> String? {
        guard let value = kwargs[key] else { return fallback }
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw TierError("\(key) in \(origin) must be a string; it is \(value.typeName).")
        }
    }

    /// A string kwarg where `None` and "" mean the same (unset).
    func nonEmptyString(_ key: String) throws -> String? {
        guard let text = try string(key, default: nil), !text.isEmpty else { return nil }
        return text
    }

    /// A boolean kwarg (JSON true/false; Python would also take other truthy values).
    func bool(_ key: String, default fallback: Bool) -> Bool {
        switch kwargs[key] {
        case .bool(let flag)?: return flag
        case .string(let text)?: return !["", "false", "0", "no"].contains(text.lowercased())
        case .integer(let digits)?: return digits != "0"
        case .null?: return false
        default: return fallback
        }
    }

    /// The raw value of a kwarg.
    subscript(key: String) -> JSONValue? { kwargs[key] }
}

extension JSONValue {
    /// The Python type name of this value, for messages.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .float: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
