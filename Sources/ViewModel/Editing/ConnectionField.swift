/// One field of the connection form, named as Airflow names it.
public enum ConnectionField: String, Sendable, Hashable, CaseIterable {
    case connType = "conn_type"
    case host, login, password, schema, port, extra, description

    /// Whether the form shows it masked until revealed.
    public var isSecret: Bool { self == .password }
}
