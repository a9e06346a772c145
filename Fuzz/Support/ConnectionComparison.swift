import Engine
import PythonCompat

/// Compares connections field by field as Python values (so a NaN in a verbatim field equals
/// itself), naming only the fields that differ, never their values.
public enum ConnectionComparison {
    /// The Airflow fields on which `a` and `b` differ.
    public static func differingFields(_ a: Connection, _ b: Connection) -> [String] {
        Connection.fieldNames.filter { a.fieldValue($0).pythonDumps() != b.fieldValue($0).pythonDumps() }
    }
}
