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

/// Until the app's writer factory lands: every tier reports that it cannot be written yet.
struct PendingWriterFactory: TierWriterFactory {
    func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
        AppTierFactory().makeTiers(for: deployment, context: context).map { slot in
            if slot.tier == .env {
                return TierWriterSlot(writer: EnvFileWriter(deployment: deployment,
                                                            dialect: ConnectionDialect(version: deployment.airflowVersion, context: context),
                                                            descriptor: slot.descriptor))
            }
            return TierWriterSlot(unavailable: slot.descriptor, reason: "Strata cannot write this tier yet")
        }
    }
}
