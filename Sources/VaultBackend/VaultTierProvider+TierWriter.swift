import Editing
import Engine

extension VaultTierProvider {
    /// The guarded writer of the Vault tier `tier` of `deployment`, parsing with `dialect` as
    /// that tier's source does (same descriptor).
    public func makeTierWriter(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                               dialect: ConnectionDialect) throws -> any TierWriter {
        VaultTierWriter(source: try makeVaultSource(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect))
    }
}
