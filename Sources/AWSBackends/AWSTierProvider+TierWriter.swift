import Editing
import Engine

extension AWSTierProvider {
    /// The guarded writer of the Secrets Manager or Parameter Store tier `tier` of
    /// `deployment`, parsing with `dialect` as that tier's source does (same descriptor).
    public func makeTierWriter(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                               dialect: ConnectionDialect) throws -> any TierWriter {
        switch configuration.family {
        case .secretsManager?:
            return SecretsManagerTierWriter(source: try makeSecretsManagerSource(configuration: configuration, deployment: deployment,
                                                                                  tier: tier, dialect: dialect))
        case .ssmParameterStore?:
            return ParameterStoreTierWriter(source: try makeParameterStoreSource(configuration: configuration, deployment: deployment,
                                                                                  tier: tier, dialect: dialect))
        default:
            throw TierError("Strata writes to Secrets Manager and Parameter Store here, not to \(configuration.classPath).")
        }
    }
}
