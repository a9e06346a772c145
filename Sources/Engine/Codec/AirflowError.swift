import PythonCompat
/// An error as Airflow raises it: the same type as `PythonException` (Strata has one
/// exception type), named for the codec's callers.
public typealias AirflowError = PythonException

extension PythonException {
    /// `JSONDecodeError` is a `ValueError` subclass; Airflow catches it separately.
    var isJSONDecodeError: Bool { className == "JSONDecodeError" }
}
