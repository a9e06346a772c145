import Backends
import Engine

/// What the commands run against. The composition root sets the real tier factory; tests
/// may replace it with sources of their own.
public enum StrataRuntime {
    nonisolated(unsafe) public static var tierFactory: any TierFactory = AppTierFactory()
    /// The writers the editing commands use.
    nonisolated(unsafe) public static var writerFactory: any TierWriterFactory = PendingWriterFactory()

    /// A loader over the current tier factory.
    static var loader: DeploymentLoader { DeploymentLoader(factory: tierFactory) }
}

/// Until the app's writer factory lands: the file tiers are written, the others report that
/// they cannot be written yet.
struct PendingWriterFactory: TierWriterFactory {
    func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
        let tiers = AppTierFactory().makeTiers(for: deployment, context: context)
        return tiers.map { slot in
            LocalTierWriters.slot(for: slot, deployment: deployment, context: context)
                ?? TierWriterSlot(unavailable: slot.descriptor, reason: "Strata cannot write this tier yet")
        }
    }
}
