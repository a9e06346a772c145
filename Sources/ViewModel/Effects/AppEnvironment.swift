import Editing
import Engine

/// What the app's effects need from the world: the deployments' tiers, their writers, the
/// workspace and the operations log. The terminal runs with `LiveAppEnvironment`; the tests
/// give one over in-memory tiers. Both run the same `EffectRunner`, so what is tested is what ships.
public protocol AppEnvironment: Sendable {
    /// Starts loading every tier of `deployment`: its initial state, then each tier as it arrives.
    func startLoading(_ deployment: Deployment, context: LookupContext) -> (DeploymentState, AsyncStream<(TierID, TierLoadState)>)
    /// Loads every tier of `deployment` and returns when all have answered (for comparisons).
    func loadAll(_ deployment: Deployment, context: LookupContext) async -> DeploymentState
    /// The writers of `deployment`'s tiers; nil when this build of Strata writes nothing.
    func writers(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot]?
    /// What the backend pane shows for `deployment`.
    func backendInfo(for deployment: Deployment) -> BackendPaneInfo
    /// The workspace's deployments read again (env files are read when the workspace loads);
    /// nil keeps the ones the app has.
    func reloadDeployments() -> [Deployment]?
    /// Where saves and remote calls are recorded.
    var operationLog: OperationLog { get }
    /// Asks `deployment`'s own Airflow to test `connection` under `id`.
    func testConnection(_ id: String, _ connection: Connection, in deployment: Deployment) async -> ConnectionTestOutcome
}

extension AppEnvironment {
    public func testConnection(_ id: String, _ connection: Connection, in deployment: Deployment) async -> ConnectionTestOutcome {
        .notAsked(reason: "this build of Strata cannot test connections")
    }
}

/// The environment the terminal runs with: the Engine's loader over the app's tier factory.
public struct LiveAppEnvironment: AppEnvironment {
    public var loader: DeploymentLoader
    public var writerFactory: (any TierWriterFactory)?
    public var describeBackend: @Sendable (Deployment) -> BackendPaneInfo
    public var reload: (@Sendable () -> [Deployment]?)?
    public var operationLog: OperationLog
    public var connectionTester: (any ConnectionTesting)?

    public init(loader: DeploymentLoader, writerFactory: (any TierWriterFactory)?,
                describeBackend: @escaping @Sendable (Deployment) -> BackendPaneInfo = BackendPaneInfo.describing,
                reload: (@Sendable () -> [Deployment]?)?, operationLog: OperationLog = .session,
                connectionTester: (any ConnectionTesting)? = nil) {
        self.connectionTester = connectionTester
        self.loader = loader
        self.writerFactory = writerFactory
        self.describeBackend = describeBackend
        self.reload = reload
        self.operationLog = operationLog
    }

    public func startLoading(_ deployment: Deployment, context: LookupContext) -> (DeploymentState, AsyncStream<(TierID, TierLoadState)>) {
        let (initial, updates) = loader.start(deployment, context: context)
        return (initial, updates)
    }

    public func loadAll(_ deployment: Deployment, context: LookupContext) async -> DeploymentState {
        await loader.loadAll(deployment, context: context)
    }

    public func writers(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot]? {
        writerFactory?.makeWriters(for: deployment, context: context)
    }

    public func backendInfo(for deployment: Deployment) -> BackendPaneInfo { describeBackend(deployment) }

    public func reloadDeployments() -> [Deployment]? { reload?() }

    public func testConnection(_ id: String, _ connection: Connection, in deployment: Deployment) async -> ConnectionTestOutcome {
        guard let connectionTester else { return .notAsked(reason: "this build of Strata cannot test connections") }
        return await connectionTester.test(id, connection, in: deployment)
    }
}
