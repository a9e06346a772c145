import AirflowAPI
import AWSBackends
import CloudBackends
import Engine
import Metastore
import VaultBackend

/// The application's tier factory: the environment, the configured secrets backend (local
/// files or a remote service) and the metastore (a database, or an Astro project's
/// `airflow_settings.yaml`).
public struct AppTierFactory: TierFactory {
    public init() {}

    public func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
        let version = deployment.airflowVersion
        let settings = BackendConfiguration.read(from: deployment.environment, version: version)
        // A worker's (or the triggerer runner's) own tiers parse with the Task SDK; whatever the
        // Execution API answers was parsed on the server side (core). Airflow 2 has one parser.
        let local = ConnectionDialect(version: version, context: context)
        let server = ConnectionDialect(version: version, context: .server)
        var slots = [TierSlot(source: EnvironmentTier(environment: deployment.environment, dialect: local,
                                                                teams: deployment.teamLookup))]
        if version == .v3, context.isExecutionAPIClient, let workers = settings.workers {
            slots.append(backendSlot(workers, tier: .workersBackend, deployment: deployment, dialect: local))
            slots.append(backendSlot(settings.secrets, tier: .backend, deployment: deployment, dialect: server))
        } else {
            slots.append(backendSlot(settings.secrets, tier: .backend, deployment: deployment, dialect: local))
        }
        slots.append(metastoreSlot(deployment, dialect: server))
        return slots
    }

    func backendSlot(_ configuration: BackendConfiguration?, tier: TierID, deployment: Deployment,
                     dialect: ConnectionDialect) -> TierSlot {
        let setting = tier == .workersBackend ? "AIRFLOW__WORKERS__SECRETS_BACKEND" : "AIRFLOW__SECRETS__BACKEND"
        guard let configuration else {
            return TierSlot(unavailable: TierDescriptor(tier: tier, label: "no backend"),
                            reason: "no secrets backend configured (\(setting) is not set)", configured: false)
        }
        guard let family = configuration.family else {
            return TierSlot(unavailable: TierDescriptor(tier: tier, label: "unknown backend", detail: configuration.classPath),
                            reason: "Strata does not know the backend class \(configuration.classPath); the other tiers still work")
        }
        let descriptor = TierDescriptor(tier: tier, label: family.displayName, detail: configuration.classPath)
        // The names Airflow would ask for come from the kwargs alone: known even when the tier
        // cannot be set up (missing credentials, a bad URL), which is when they are most needed.
        let naming = BackendNaming(configuration: configuration, version: deployment.airflowVersion, teams: deployment.teamLookup)
        let namer = TierNamer { naming.lookupName(for: $0) }
        guard let provider = Self.providers.first(where: { $0.families.contains(family) }) else {
            return TierSlot(unavailable: descriptor, reason: "not connected: Strata cannot read \(family.displayName) yet",
                            naming: namer)
        }
        do {
            return TierSlot(source: try provider.makeSource(configuration: configuration, deployment: deployment,
                                                            tier: tier, dialect: dialect))
        } catch let error as TierError {
            return TierSlot(unavailable: descriptor, reason: error.message, naming: namer)
        } catch {
            return TierSlot(unavailable: descriptor, reason: "\(family.displayName) cannot be set up (\(type(of: error)))",
                            naming: namer)
        }
    }

    func metastoreSlot(_ deployment: Deployment, dialect: ConnectionDialect) -> TierSlot {
        // A real metadata database wins over airflow_settings.yaml: it is what Airflow reads.
        if MetastoreTier.metastoreURL(for: deployment) != nil {
            do {
                return TierSlot(source: try MetastoreTier(deployment: deployment))
            } catch {
                return TierSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore"),
                                reason: "\(error)")
            }
        }
        // No database: Airflow's REST API is the door managed platforms leave open.
        if deployment.api != nil {
            do {
                return TierSlot(source: try Self.api.makeTier(for: deployment))
            } catch {
                return TierSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore via REST API"), reason: "\(error)")
            }
        }
        if let file = deployment.airflowSettingsFile {
            return TierSlot(source: AirflowSettingsTier(fileURL: file, dialect: dialect))
        }
        return TierSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore"),
                        reason: "no metastore given: set `metastore:` or `api:` in strata.yaml, or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
                        configured: false)
    }

    /// Makes the metastore tier of a deployment reached through its REST API.
    static let api = AirflowAPITierProvider()

    /// The backend families Strata can connect to, one provider per module.
    static let providers: [any BackendTierProvider] = [
        LocalFilesTierProvider(), AWSTierProvider(), VaultTierProvider(), CloudTierProvider(),
    ]
}
