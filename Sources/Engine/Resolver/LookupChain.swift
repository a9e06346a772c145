/// The order in which Airflow consults a deployment's tiers; the first hit wins.
public enum LookupChain {
    /// The chain for a deployment's version and process context.
    ///
    /// Airflow 2 and Airflow 3's server side: backend → environment → metastore.
    /// An Airflow 3 worker with `[workers] secrets_backend` set asks that backend, then its own
    /// environment, then the Execution API, which answers with the server chain; the
    /// environment is the same deployment environment, so it appears once. The triggerer's
    /// runner asks exactly as a worker does, its Execution API running inside the triggerer.
    public static func tiers(version: AirflowVersion, context: LookupContext, hasWorkersBackend: Bool) -> [TierID] {
        if version == .v3, context.isExecutionAPIClient, hasWorkersBackend {
            return [.workersBackend, .env, .backend, .metastore]
        }
        return [.backend, .env, .metastore]
    }
}
