/// The secrets-backend configuration of one deployment, as Airflow would read it from the
/// deployment's environment: the `[secrets]` backend and, on Airflow 3, the `[workers]` one.
public struct BackendSettings: Sendable, Hashable {
    /// `[secrets] backend` with its kwargs, or `nil` when no custom backend is configured.
    public var secrets: BackendConfiguration?
    /// `[workers] secrets_backend` with `[workers] secrets_backend_kwargs`, only when that option
    /// is set (Airflow 3). `nil` means workers use `secrets` — there is no separate workers tier.
    public var workers: BackendConfiguration?
    /// Findings about the settings that belong to no configured backend (kwargs set without a
    /// class, `[workers]` options on Airflow 2…). Each backend's own findings are in its `warnings`.
    public var warnings: [String]

    public init(secrets: BackendConfiguration? = nil, workers: BackendConfiguration? = nil,
                warnings: [String] = []) {
        self.secrets = secrets
        self.workers = workers
        self.warnings = warnings
    }

    /// Whether Airflow 3 workers consult a backend of their own (`[workers] secrets_backend` set).
    public var hasSeparateWorkersBackend: Bool { workers != nil }

    /// The configuration that fills `tier`: `.backend` is `[secrets]`, `.workersBackend` is the
    /// explicit `[workers]` backend (nil when workers fall back to `[secrets]`).
    public func configuration(for tier: TierID) -> BackendConfiguration? {
        switch tier {
        case .backend: return secrets
        case .workersBackend: return workers
        case .env, .metastore: return nil
        }
    }

    /// The custom backend a process in `context` actually asks first: workers and the triggerer
    /// use `[workers] secrets_backend` when set, else `[secrets] backend` with `[secrets]` kwargs.
    public func effectiveConfiguration(for context: LookupContext) -> BackendConfiguration? {
        context.isExecutionAPIClient ? (workers ?? secrets) : secrets
    }

    /// Every finding: the settings' own warnings, then each configured backend's.
    public var allWarnings: [String] {
        warnings + (secrets?.warnings ?? []) + (workers?.warnings ?? [])
    }
}
