import Engine

extension DeploymentState {
    /// The parser Airflow uses for connections read from `tier`: on an Airflow 3 worker the
    /// worker's own tiers use the Task SDK; the metastore, and a general backend behind a
    /// workers backend (answered through the API server), use the core parser.
    public func connectionDialect(for tier: TierID) -> ConnectionDialect {
        let serverSide = tier == .metastore || (tier == .backend && chain.contains(.workersBackend))
        return ConnectionDialect(version: deployment.airflowVersion, context: serverSide ? .server : context)
    }
}
