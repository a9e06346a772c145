extension Deployment {
    /// The deployment's custom secrets backends, read from its environment as Airflow reads them.
    public var backendSettings: BackendSettings {
        BackendConfiguration.read(from: environment, version: airflowVersion)
    }
}
