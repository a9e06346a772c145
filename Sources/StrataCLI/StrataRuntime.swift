import Backends
import Engine

/// What the commands run against. The composition root sets the real tier factory; tests
/// may replace it with sources of their own.
public enum StrataRuntime {
    nonisolated(unsafe) public static var tierFactory: any TierFactory = AppTierFactory()

    /// A loader over the current tier factory.
    static var loader: DeploymentLoader { DeploymentLoader(factory: tierFactory) }
}
