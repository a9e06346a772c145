/// An error as Airflow raises it: unqualified exception class name + str(exception).
///
/// Messages are Airflow's (or CPython's) own text. Strata's codec never puts a password into a
/// message it writes itself; where Airflow echoes input (the Task SDK's "Invalid connection
/// string: <uri>." and Python's `ValueError` for a bad port), the text is reproduced, so callers
/// that log errors must treat `message` as sensitive.
public struct AirflowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The exception's class `__name__`, e.g. `AirflowException`, `ValueError`, `JSONDecodeError`.
    public var className: String
    /// `str(exception)`.
    public var message: String

    public init(_ className: String, _ message: String) {
        self.className = className
        self.message = message
    }

    /// `ClassName: message`, as a Python traceback's last line reads.
    public var description: String { message.isEmpty ? className : "\(className): \(message)" }
}

extension AirflowError {
    /// `JSONDecodeError` is a `ValueError` subclass; Airflow catches it separately.
    var isJSONDecodeError: Bool { className == "JSONDecodeError" }
}
