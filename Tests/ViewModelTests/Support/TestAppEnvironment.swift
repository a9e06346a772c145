import Editing
import Engine
import Foundation
import TestSupport
import ViewModel

/// The world the view-model tests run the shipped `EffectRunner` against: in-memory tiers
/// that answer in lookup order with a fixed latency, so frames are the same on every run.
///
/// `@unchecked Sendable`: the settings a test changes between steps are only read or written under its lock.
final class TestAppEnvironment: AppEnvironment, @unchecked Sendable {
    let factory: any TierFactory
    let operationLog = OperationLog()
    private let lock = NSLock()
    private var held: Set<TierID> = []
    private var writerFactoryInUse: (any TierWriterFactory)?
    private var describe: @Sendable (Deployment) -> BackendPaneInfo = { _ in .none }
    private var testAnswer: ConnectionTestOutcome = .notAsked(reason: "no tester in this test")
    private var tests: [(id: String, connection: Connection, deployment: String)] = []

    /// What the deployment's Airflow answers to a connection test.
    var connectionTestAnswer: ConnectionTestOutcome {
        get { lock.withLock { testAnswer } }
        set { lock.withLock { testAnswer = newValue } }
    }

    /// The connection tests asked for, in order.
    var testedConnections: [(id: String, connection: Connection, deployment: String)] { lock.withLock { tests } }

    func testConnection(_ id: String, _ connection: Connection, in deployment: Deployment) async -> ConnectionTestOutcome {
        lock.withLock {
            tests.append((id, connection, deployment.name))
            return testAnswer
        }
    }

    init(factory: any TierFactory) {
        self.factory = factory
    }

    /// Tiers whose results never arrive, to show a tier that is still loading.
    var heldTiers: Set<TierID> {
        get { lock.withLock { held } }
        set { lock.withLock { held = newValue } }
    }

    /// The writers each loaded deployment gets (none: every tier unavailable).
    var writerFactory: (any TierWriterFactory)? {
        get { lock.withLock { writerFactoryInUse } }
        set { lock.withLock { writerFactoryInUse = newValue } }
    }

    var backendInfo: @Sendable (Deployment) -> BackendPaneInfo {
        get { lock.withLock { describe } }
        set { lock.withLock { describe = newValue } }
    }

    func startLoading(_ deployment: Deployment, context: LookupContext) -> (DeploymentState, AsyncStream<(TierID, TierLoadState)>) {
        let slots = factory.makeTiers(for: deployment, context: context)
        let initial = DeploymentState(deployment: deployment, context: context, slots: slots)
        let held = heldTiers
        let updates = AsyncStream<(TierID, TierLoadState)> { continuation in
            Task {
                for tier in initial.chain where !held.contains(tier) {
                    guard let source = slots.first(where: { $0.tier == tier })?.source else { continue }
                    continuation.yield((tier, await Self.load(source)))
                }
                continuation.finish()
            }
        }
        return (initial, updates)
    }

    func loadAll(_ deployment: Deployment, context: LookupContext) async -> DeploymentState {
        let slots = factory.makeTiers(for: deployment, context: context)
        var loaded = DeploymentState(deployment: deployment, context: context, slots: slots)
        for tier in loaded.chain {
            guard let source = slots.first(where: { $0.tier == tier })?.source else { continue }
            loaded.tiers[tier] = await Self.load(source)
        }
        return loaded
    }

    func writers(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot]? {
        writerFactory?.makeWriters(for: deployment, context: context)
    }

    func backendInfo(for deployment: Deployment) -> BackendPaneInfo { backendInfo(deployment) }

    /// The tests' workspace does not change on disk: the deployments stay as they are.
    func reloadDeployments() -> [Deployment]? { nil }

    private static func load(_ source: any TierSource) async -> TierLoadState {
        do {
            return .loaded(LoadedTier(source: source, snapshot: try await source.load(), latency: .milliseconds(42)))
        } catch {
            return .failed(reason: (error as? TierError)?.message ?? "\(error)")
        }
    }
}
