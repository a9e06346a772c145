import Editing
import Engine

extension CloudTierProvider {
    /// The guarded writer of the GCP Secret Manager or Azure Key Vault tier `tier` of
    /// `deployment`, parsing with `dialect` as that tier's source does (same descriptor).
    public func makeTierWriter(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                               dialect: ConnectionDialect) throws -> any TierWriter {
        switch configuration.family {
        case .gcpSecretManager?:
            return SecretManagerTierWriter(source: try makeSecretManagerSource(configuration: configuration, deployment: deployment,
                                                                                tier: tier, dialect: dialect))
        case .azureKeyVault?:
            return KeyVaultTierWriter(source: try makeKeyVaultSource(configuration: configuration, deployment: deployment,
                                                                      tier: tier, dialect: dialect))
        default:
            throw TierError("Strata can write to GCP Secret Manager and Azure Key Vault here, not to \(configuration.classPath).")
        }
    }
}
