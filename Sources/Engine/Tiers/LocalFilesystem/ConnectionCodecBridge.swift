import PythonCompat
/// The one place the local tiers call the connection codec, so that they parse URIs and
/// serialized connections exactly as the codec (and Airflow) does.
enum ConnectionCodecBridge {
    /// `Connection(uri=…)` for `dialect`; throws the Python error Airflow raises.
    static func parse(uri: String, dialect: ConnectionDialect) throws -> Connection {
        try Connection.parse(uri: uri, dialect: dialect)
    }

    /// `get_connection`'s deserialisation of a stored value: JSON when it starts with `{`
    /// after stripping, else a URI.
    static func parse(storedValue: String, dialect: ConnectionDialect) throws -> Connection {
        try Connection.parse(storedValue: storedValue, dialect: dialect)
    }

    /// The Python class name and message of a codec error.
    static func describe(_ error: Error) -> (className: String, message: String) {
        if let error = error as? PythonException { return (error.className, error.message) }
        return (String(describing: type(of: error)), "")
    }
}
