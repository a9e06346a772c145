import Editing
import Engine
import Foundation
import TestSupport
import XCTest
@testable import ViewModel

/// The runner the terminal ships with: effects in order, loads that replace each other, and
/// the front end's own effects left to it.
final class EffectRunnerTests: XCTestCase {
    /// One deployment ("slow") whose only tier never answers; every other loads at once.
    ///
    /// `@unchecked Sendable`: `terminations` is only read or written under the lock.
    final class World: AppEnvironment, @unchecked Sendable {
        let operationLog = OperationLog()
        private let lock = NSLock()
        private var ended: [String] = []
        var terminations: [String] { lock.withLock { ended } }

        func startLoading(_ deployment: Deployment, context: LookupContext) -> (DeploymentState, AsyncStream<(TierID, TierLoadState)>) {
            let source = InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_X", "1", id: "x")], naming: InMemoryTier.environmentNaming)
            let initial = DeploymentState(deployment: deployment, context: context, slots: [TierSlot(source: source)])
            let name = deployment.name
            let updates = AsyncStream<(TierID, TierLoadState)> { continuation in
                continuation.onTermination = { [weak self] reason in
                    guard let self else { return }
                    let how = if case .cancelled = reason { "cancelled" } else { "finished" }
                    self.lock.withLock { self.ended.append("\(name): \(how)") }
                }
                guard name != "slow" else { return }
                Task {
                    continuation.yield((.env, .loaded(LoadedTier(source: source, snapshot: try await source.load(), latency: .zero))))
                    continuation.finish()
                }
            }
            return (initial, updates)
        }

        func loadAll(_ deployment: Deployment, context: LookupContext) async -> DeploymentState {
            DeploymentState(deployment: deployment, context: context, slots: [])
        }
        func writers(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot]? { nil }
        func backendInfo(for deployment: Deployment) -> BackendPaneInfo { .none }
        func reloadDeployments() -> [Deployment]? { nil }
    }

    func testALoadIsCancelledByTheLoadThatReplacesIt() async {
        let world = World()
        let posted = PostedActions()
        let runner = EffectRunner(environment: world, context: .server, post: { posted.append($0) })
        XCTAssertTrue(runner.submit(.loadDeployment(Deployment(name: "slow"), generation: 1)))
        // Let the slow load start and wait on its tier.
        for _ in 0..<200 where world.terminations.isEmpty && posted.isEmpty { try? await Task.sleep(for: .milliseconds(1)) }
        XCTAssertTrue(runner.submit(.loadDeployment(Deployment(name: "fast"), generation: 2)))
        await runner.waitUntilIdle()
        XCTAssertEqual(world.terminations.sorted(), ["fast: finished", "slow: cancelled"])
        let tierResults = posted.drain().compactMap { action -> Int? in
            if case .tierLoaded(let generation, _, _) = action { return generation }
            return nil
        }
        XCTAssertEqual(tierResults, [2], "only the load that replaced the slow one delivers tiers")
    }

    func testTheFrontEndsOwnEffectsAreLeftToIt() {
        let runner = EffectRunner(environment: World(), context: .server, post: { _ in })
        XCTAssertFalse(runner.submit(.quit))
        XCTAssertFalse(runner.submit(.copyToClipboard(text: "t", what: "value")))
        XCTAssertFalse(runner.submit(.applyTheme("mono")))
        XCTAssertFalse(runner.submit(.editExternally(text: "t", suffix: ".txt")))
    }
}
