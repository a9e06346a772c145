import PythonCompat
/// How a secrets backend turns its stored text into a connection (`deserialize_connection`).
extension Connection {
    /// What a secrets backend does with a stored value: strip (Python str.strip), `{` first →
    /// JSON else URI. (Empty/whitespace handling is the caller's, per spec §1.3: Airflow treats
    /// "" as not found; a whitespace-only value raises the `IndexError` thrown here.)
    public static func parse(storedValue: String, dialect: ConnectionDialect) throws -> Connection {
        let value = storedValue.pythonStripped
        guard let first = value.utf8.first else {
            throw AirflowError("IndexError", "string index out of range")
        }
        if first == UInt8(ascii: "{") { return try parse(json: value, dialect: dialect) }
        return try parse(uri: value, dialect: dialect)
    }
}
