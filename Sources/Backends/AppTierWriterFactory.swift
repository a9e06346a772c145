import AirflowAPI
import AWSBackends
import CloudBackends
import Editing
import Engine
import Metastore
import VaultBackend

/// The application's writer factory: one slot per tier `AppTierFactory` makes for the same
/// deployment and context — the environment's env files, the secrets backend (and Airflow 3's
/// workers backend), the metastore or `airflow_settings.yaml` — each writer wrapping the very
/// source that tier loads with, so descriptors, names and parsers are the same and the UI
/// pairs a loaded tier with its writer.
public struct AppTierWriterFactory: TierWriterFactory {
    let tiers: AppTierFactory

    public init() {
        self.tiers = AppTierFactory()
    }

    public func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
        let slots = tiers.makeTiers(for: deployment, context: context).map { writerSlot(for: $0, deployment: deployment, context: context) }
        guard deployment.readOnly else { return slots }
        // The planner refuses too; without writers nothing can get past it.
        return slots.map {
            TierWriterSlot(unavailable: $0.descriptor, reason: "deployment '\(deployment.name)' is read-only (read_only: true in strata.yaml)")
        }
    }

    /// The writer for one loaded tier's slot, or why there is none.
    public func writerSlot(for slot: TierSlot, deployment: Deployment, context: LookupContext) -> TierWriterSlot {
        guard let source = slot.source else {
            return TierWriterSlot(unavailable: slot.descriptor, reason: slot.unavailableReason ?? "the tier is not available")
        }
        if let local = LocalTierWriters.slot(for: slot, deployment: deployment, context: context) {
            return local
        }
        switch source {
        case let metastore as MetastoreTier:
            return TierWriterSlot(writer: MetastoreTierWriter(tier: metastore))
        case let api as AirflowAPITier:
            return TierWriterSlot(writer: AirflowAPITierWriter(tier: api))
        case let secrets as SecretsManagerTierSource:
            return TierWriterSlot(writer: SecretsManagerTierWriter(source: secrets))
        case let parameters as ParameterStoreTierSource:
            return TierWriterSlot(writer: ParameterStoreTierWriter(source: parameters))
        case let vault as VaultTierSource:
            return TierWriterSlot(writer: VaultTierWriter(source: vault))
        case let gcp as SecretManagerTierSource:
            return TierWriterSlot(writer: SecretManagerTierWriter(source: gcp))
        case let azure as KeyVaultTierSource:
            return TierWriterSlot(writer: KeyVaultTierWriter(source: azure))
        default:
            return TierWriterSlot(unavailable: slot.descriptor, reason: "Strata cannot write \(slot.descriptor.label)")
        }
    }
}
