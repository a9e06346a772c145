/// The Airflow major version a deployment runs; parsing and lookup rules differ between them.
public enum AirflowVersion: Int, Sendable, Hashable, Codable, CaseIterable {
    case v2 = 2
    case v3 = 3
}

/// Which Airflow process is asking. Airflow 3 resolves differently on the API server
/// (`airflow.models`, the core parser) and inside tasks on workers (the Task SDK parser).
/// The triggerer's runner subprocess, where deferrable operators' triggers and async deadline
/// callbacks run, is a Task SDK client like a worker task (docs/triggerer-lookup.md).
/// Airflow 2 has a single behaviour, which Strata treats as `server`.
public enum LookupContext: String, Sendable, Hashable, Codable, CaseIterable {
    case server
    case worker
    case triggerer

    /// Whether the process runs user code behind the Execution API: on Airflow 3 it asks its own
    /// tiers (`[workers] secrets_backend`, its environment) before the API server's chain.
    public var isExecutionAPIClient: Bool { self != .server }
}

/// The connection parser a lookup uses: Airflow 2's, Airflow 3 core's, or the Task SDK's.
public enum ConnectionDialect: String, Sendable, Hashable, Codable, CaseIterable {
    case airflow2
    case core
    case sdk

    /// The parser Airflow uses for a given version and process context.
    public init(version: AirflowVersion, context: LookupContext) {
        switch (version, context) {
        case (.v2, _): self = .airflow2
        case (.v3, .server): self = .core
        case (.v3, .worker), (.v3, .triggerer): self = .sdk
        }
    }
}
