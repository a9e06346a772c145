import Engine

/// How a connection is written out for copying. Injected so the view model uses the Engine's
/// codec (the exact text Airflow would parse) without owning one.
public struct ConnectionFormats: Sendable {
    /// The connection as an Airflow URI, or nil when it has no URI form.
    public var uri: @Sendable (Connection, AirflowVersion) -> String?
    /// The connection in Airflow's JSON form.
    public var json: @Sendable (Connection, AirflowVersion) -> String?

    public init(uri: @escaping @Sendable (Connection, AirflowVersion) -> String?,
                json: @escaping @Sendable (Connection, AirflowVersion) -> String?) {
        self.uri = uri
        self.json = json
    }

    /// No codec: only values stored as text can be copied.
    public static let unavailable = ConnectionFormats(uri: { _, _ in nil }, json: { _, _ in nil })
}

/// Formats are services fixed for a session, not state: any two compare equal, so that states
/// can be compared for what the user sees and does.
extension ConnectionFormats: Equatable {
    public static func == (lhs: ConnectionFormats, rhs: ConnectionFormats) -> Bool { true }
}
