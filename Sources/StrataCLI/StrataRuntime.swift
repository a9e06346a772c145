import Backends
import Editing
import Engine

/// What the commands run against. The composition root sets the real tier factory; tests
/// may replace it with sources of their own.
///
/// `nonisolated(unsafe)`: both are set only before a command starts (by `main` or a test's
/// setup) and only read while it runs.
public enum StrataRuntime {
    nonisolated(unsafe) public static var tierFactory: any TierFactory = AppTierFactory()
    /// The writers the editing commands use.
    nonisolated(unsafe) public static var writerFactory: any TierWriterFactory = AppTierWriterFactory()

    /// A loader over the current tier factory.
    static var loader: DeploymentLoader { DeploymentLoader(factory: tierFactory) }
}
