import PythonCompat
/// An Airflow connection, field by field, exactly as an Airflow `Connection` object holds it.
///
/// `nil` is Python's `None` and differs from `""` (a URI gives `host == ""`, JSON form leaves it `nil`).
/// `extra` is the raw JSON text Airflow stores, never re-parsed, because its exact spelling
/// is part of what Airflow writes back.
public struct Connection: Sendable, Hashable {
    public var connType: String?
    public var host: String?
    public var login: String?
    public var password: String?
    public var schema: String?
    public var port: Int?
    public var extra: String?
    public var description: String?
    /// Fields Airflow kept with a type other than the usual one — a YAML file's `port: "3306"`
    /// stays a string, JSON `{"host": 123}` stays a number. Keyed by field name
    /// (`conn_type`, `host`, `login`, `password`, `schema`, `port`, `extra`, `description`);
    /// when present it overrides the typed property above. Empty for ordinary connections.
    public var verbatim: [String: JSONValue]

    public init(
        connType: String? = nil, host: String? = nil, login: String? = nil, password: String? = nil,
        schema: String? = nil, port: Int? = nil, extra: String? = nil, description: String? = nil,
        verbatim: [String: JSONValue] = [:]
    ) {
        self.connType = connType
        self.host = host
        self.login = login
        self.password = password
        self.schema = schema
        self.port = port
        self.extra = extra
        self.description = description
        self.verbatim = verbatim
    }

    /// Field names in the order Airflow's result objects list them.
    public static let fieldNames = ["conn_type", "host", "login", "password", "schema", "port", "extra", "description"]
}
