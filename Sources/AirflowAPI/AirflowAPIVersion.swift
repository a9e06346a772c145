import Engine

/// Which REST API a deployment's Airflow serves: `/api/v2` on Airflow 3, `/api/v1` on Airflow 2.
public enum AirflowAPIVersion: String, Sendable, Hashable {
    case v1, v2

    public init(_ airflow: AirflowVersion) {
        self = airflow == .v3 ? .v2 : .v1
    }

    /// `/api/v2`.
    public var prefix: String { "/api/\(rawValue)" }

    /// The other version, probed to say "this server is Airflow 2" when a path is not found.
    public var other: AirflowAPIVersion { self == .v2 ? .v1 : .v2 }

    /// The Airflow major version that serves this API.
    public var airflowMajor: Int { self == .v2 ? 3 : 2 }

    /// The largest page Strata asks for; Airflow clamps it to `[api] maximum_page_limit`
    /// (100 by default), and the first page's length says what the server allows.
    static let requestedPageSize = 1000
}
