/// A Python exception as Airflow (or CPython under it) raises it: the unqualified class name
/// and `str(exception)`. The one exception type of Strata's Python layer; `PythonException` is
/// the same type under the name the codec's callers know.
///
/// Messages are Airflow's own text. Where Airflow echoes its input (the Task SDK's "Invalid
/// connection string: <uri>." and Python's `ValueError` for a bad port), the text is
/// reproduced, so callers that log errors must treat `message` as sensitive.
public struct PythonException: Error, Sendable, Hashable, CustomStringConvertible {
    public var className: String
    public var message: String

    public init(_ className: String, _ message: String) {
        self.className = className
        self.message = message
    }

    /// `ClassName: message`, as a Python traceback's last line reads.
    public var description: String { message.isEmpty ? className : "\(className): \(message)" }
}
