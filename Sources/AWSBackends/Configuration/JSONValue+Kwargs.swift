import Engine
import PythonCompat

extension JSONValue {
    /// The Python type name for messages.
    var kwargTypeName: String {
        self == .null ? "None" : pythonTypeName
    }
}
