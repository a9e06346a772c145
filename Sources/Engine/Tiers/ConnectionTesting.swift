/// What a deployment's Airflow said when asked to test a connection.
public enum ConnectionTestOutcome: Sendable, Hashable {
    /// Airflow ran the hook's test; `message` is its answer with the connection's secrets masked.
    case tested(succeeded: Bool, message: String)
    /// `[core] test_connection` is not Enabled on that Airflow (its default is Disabled).
    case disabled(message: String)
    /// Strata could not ask: no `api:` block, the API unreachable, a field its source hides…
    case notAsked(reason: String)
}

/// Asks a deployment's own Airflow to test a connection value (through its REST API), so that
/// the test runs from the deployment's network. The Engine defines it; `Backends` provides it.
public protocol ConnectionTesting: Sendable {
    func test(_ id: String, _ connection: Connection, in deployment: Deployment) async -> ConnectionTestOutcome
}
