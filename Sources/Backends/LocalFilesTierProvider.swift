import Engine

/// Airflow's own LocalFilesystemBackend, as a provider like the remote ones.
struct LocalFilesTierProvider: BackendTierProvider {
    var families: Set<BackendFamily> { [.localFilesystem] }

    func makeSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                    dialect: ConnectionDialect) throws -> any TierSource {
        try LocalFilesystemTier(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect)
    }
}
