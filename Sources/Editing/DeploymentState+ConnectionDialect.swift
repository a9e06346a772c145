import Engine

extension ConnectionDialect {
    /// The parser Airflow uses for connections read from `tier`: on an Airflow 3 worker the
    /// worker's own tiers use the Task SDK; the metastore, and a general backend behind a
    /// workers backend (answered through the API server), use the core parser.
    public static func reading(_ tier: TierID?, version: AirflowVersion, context: LookupContext,
                               hasWorkersBackend: Bool) -> ConnectionDialect {
        let serverSide = tier == .metastore || (tier == .backend && hasWorkersBackend)
        return ConnectionDialect(version: version, context: serverSide ? .server : context)
    }
}

extension DeploymentState {
    /// The parser Airflow uses for connections read from `tier` of this deployment.
    public func connectionDialect(for tier: TierID) -> ConnectionDialect {
        .reading(tier, version: deployment.airflowVersion, context: context, hasWorkersBackend: chain.contains(.workersBackend))
    }
}
