import Foundation
import Testing
import Engine
import TestSupport

/// The tier deadline as the loader applies it: a tier that never finishes — even one that
/// ignores cancellation — fails at the deadline with a reason naming it, and the other tiers load.
@Suite("Tier deadline")
struct RemoteDeadlineTests {
    struct Expired: Error {}

    /// Set once a stubborn operation finished.
    ///
    /// `@unchecked Sendable`: its mutable state is only read or written under its lock.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false
        var isSet: Bool { lock.withLock { set } }
        func raise() { lock.withLock { set = true } }
    }

    /// A tier whose load only ends after `seconds`, whatever happens to its task meanwhile.
    struct StubbornTier: TierSource {
        let descriptor = TierDescriptor(tier: .backend, label: "stubborn backend")
        let seconds: Double
        let finished: Flag

        func lookupName(for key: SecretKey) -> LookupName { .name(key.id) }

        func load() async throws -> TierSnapshot {
            RemoteDeadline.note("127.0.0.1:9 did not answer in time")
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
            }
            finished.raise()
            return TierSnapshot(records: [])
        }
    }

    struct Factory: TierFactory {
        let finished: Flag

        func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
            [TierSlot(source: EnvironmentTier(environment: deployment.environment, dialect: .core)),
             TierSlot(source: StubbornTier(seconds: 60, finished: finished))]
        }
    }

    @Test func aTierThatIgnoresCancellationFailsAtTheDeadlineAndTheOthersLoad() async {
        var deployment = Deployment(name: "d", environment: DeploymentEnvironment(["AIRFLOW_VAR_OTHER": "shown"]))
        deployment.timeouts = RemoteTimeouts(connect: .seconds(1), request: .seconds(1), tier: .milliseconds(500))
        let finished = Flag()
        let state = await DeploymentLoader(factory: Factory(finished: finished)).loadAll(deployment, context: .server)
        // The load returned while the stubborn tier was still waiting out its 60 s.
        #expect(!finished.isSet)
        guard case .failed(let reason)? = state.tiers[.backend] else {
            Issue.record("the stubborn tier should have failed")
            return
        }
        #expect(reason.contains("stubborn backend gave no complete answer within 0.5 s (the tier deadline)"))
        #expect(reason.contains("last problem: 127.0.0.1:9 did not answer in time"))
        #expect(reason.contains("timeouts: {tier: …}"))
        #expect(state.resolve(.variable("other")).value == .variable("shown"))
    }

    @Test func raceReturnsTheOperationsValueWithTheTaskLocalsItWasGiven() async throws {
        let deadline = RemoteDeadline(timeouts: .standard, tierEnds: .now + .seconds(5))
        let seen = try await RemoteDeadline.$current.withValue(deadline) {
            try await RemoteDeadline.race(until: deadline.tierEnds, expired: { Expired() }) {
                RemoteDeadline.current?.timeouts
            }
        }
        #expect(seen == .standard)
    }

    @Test func cancellingTheCallerEndsTheRaceAtOnce() async {
        let finished = Flag()
        let task = Task {
            try await RemoteDeadline.race(until: .now + .seconds(60), expired: { Expired() }) {
                // Ignores cancellation: only the race can end the wait early.
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 60) { continuation.resume() }
                }
                finished.raise()
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        #expect(!finished.isSet)   // it returned while the operation was still waiting out its 60 s
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func outsideALoadARequestIsCappedAtTheStandardRequestTimeout() {
        #expect(RemoteDeadline.current == nil)
        #expect(RemoteDeadline.requestTimeout(asked: .seconds(30)) == .seconds(10))
        #expect(RemoteDeadline.requestTimeout(asked: .seconds(3)) == .seconds(3))
    }
}
