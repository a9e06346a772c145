import AWSBackends
import CloudBackends
import Engine
import Metastore
import VaultBackend

/// The application's writer factory: one slot per tier `AppTierFactory` makes for the same
/// deployment and context — the environment's env files, the secrets backend (and Airflow 3's
/// workers backend), the metastore — each with the same descriptor as its source, so the UI
/// pairs a loaded tier with its writer.
public struct AppTierWriterFactory: TierWriterFactory {
    public init() {}

    public func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
        let slots = makeSlots(for: deployment, context: context)
        guard deployment.readOnly else { return slots }
        // The planner refuses too; without writers nothing can bypass it.
        return slots.map {
            TierWriterSlot(unavailable: $0.descriptor, reason: "deployment '\(deployment.name)' is read-only (read_only: true)")
        }
    }

    private func makeSlots(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
        let version = deployment.airflowVersion
        let settings = BackendConfiguration.read(from: deployment.environment, version: version)
        // The same parsers as AppTierFactory: the worker's own tiers use the Task SDK, tiers
        // reached through the Execution API the core parser.
        let local = ConnectionDialect(version: version, context: context)
        let server = ConnectionDialect(version: version, context: .server)
        let environment = EnvironmentTier(environment: deployment.environment, dialect: local)
        var slots = [TierWriterSlot(writer: EnvFileWriter(deployment: deployment, dialect: local, descriptor: environment.descriptor))]
        if version == .v3, context == .worker, let workers = settings.workers {
            slots.append(backendSlot(workers, tier: .workersBackend, deployment: deployment, dialect: local))
            slots.append(backendSlot(settings.secrets, tier: .backend, deployment: deployment, dialect: server))
        } else {
            slots.append(backendSlot(settings.secrets, tier: .backend, deployment: deployment, dialect: local))
        }
        slots.append(metastoreSlot(deployment, dialect: server))
        return slots
    }

    func backendSlot(_ configuration: BackendConfiguration?, tier: TierID, deployment: Deployment,
                     dialect: ConnectionDialect) -> TierWriterSlot {
        let source = AppTierFactory().backendSlot(configuration, tier: tier, deployment: deployment, dialect: dialect)
        guard let configuration, let family = configuration.family, source.source != nil else {
            return TierWriterSlot(unavailable: source.descriptor, reason: source.unavailableReason ?? "no secrets backend")
        }
        do {
            switch family {
            case .localFilesystem:
                guard let files = source.source as? LocalFilesystemTier else {
                    return TierWriterSlot(unavailable: source.descriptor, reason: "the local files backend could not be set up")
                }
                return TierWriterSlot(writer: LocalFilesWriter(files))
            case .secretsManager, .ssmParameterStore:
                return TierWriterSlot(writer: try AWSTierProvider().makeTierWriter(configuration: configuration, deployment: deployment,
                                                                                   tier: tier, dialect: dialect))
            case .vault:
                return TierWriterSlot(writer: try VaultTierProvider().makeTierWriter(configuration: configuration, deployment: deployment,
                                                                                     tier: tier, dialect: dialect))
            case .gcpSecretManager, .azureKeyVault:
                return TierWriterSlot(writer: try CloudTierProvider().makeTierWriter(configuration: configuration, deployment: deployment,
                                                                                     tier: tier, dialect: dialect))
            }
        } catch let error as TierError {
            return TierWriterSlot(unavailable: source.descriptor, reason: error.message)
        } catch {
            return TierWriterSlot(unavailable: source.descriptor, reason: "\(family.displayName) cannot be set up (\(type(of: error)))")
        }
    }

    func metastoreSlot(_ deployment: Deployment, dialect: ConnectionDialect) -> TierWriterSlot {
        let source = AppTierFactory().metastoreSlot(deployment, dialect: dialect)
        if let tier = source.source as? MetastoreTier {
            return TierWriterSlot(writer: MetastoreTierWriter(tier: tier))
        }
        if source.source is AirflowSettingsTier {
            // WIRE-IN: AirflowSettingsWriter(fileURL:dialect:) from Engine/Editing/Files, once it lands.
            return TierWriterSlot(unavailable: source.descriptor, reason: "Strata cannot write airflow_settings.yaml yet")
        }
        return TierWriterSlot(unavailable: source.descriptor, reason: source.unavailableReason ?? "no metastore given")
    }
}
