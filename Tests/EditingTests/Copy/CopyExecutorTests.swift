import Editing
import Engine
import Testing
import TestSupport

@Suite("Applying a copy: verified writes, moves that never lose a key, re-runs that finish the job")
struct CopyExecutorTests {
    @Test func aCopyWritesEveryKeyAndTheReloadedDeploymentResolvesThemAsPlanned() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        f.putMetastoreVariable("region", "eu-west-1")
        let state = await f.load()
        let planner = f.planner(state)
        let plan = planner.plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        let log = OperationLog()
        let outcomes = await CopyExecutor(targetWriters: f.writers, log: log).apply(plan)
        let verified = planner.verify(outcomes, against: await f.load())
        #expect(verified.allSatisfy { $0.succeeded })
        #expect(verified.allSatisfy { $0.receipt?.created == true })
        // Field names only on failure: the values hold the fixture's password.
        guard case .present(let held)? = f.backendHolds(.connection("warehouse")) else {
            Issue.record("the backend does not hold warehouse"); return
        }
        #expect(held.differingFields(from: .connection(warehouse)).map(\.description) == [])
        #expect(f.backendHolds(.variable("region")) == .present(.variable("eu-west-1")))
        #expect(log.entries.count == 2)
        #expect(!log.entries.contains { $0.name.contains("wh-s3cret") || $0.result.contains("wh-s3cret") })

        let reloaded = await f.load()
        let again = f.planner(reloaded).plan(.fromTier(.metastore, of: reloaded), sourceLabel: "metastore", policy: .fail, move: false)
        #expect(again.steps.map(\.actionName) == ["unchanged", "unchanged"], "a re-run finds the job done")
    }

    @Test func aBlockedPlanWritesNothing() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        f.putMetastore("queue", queue)
        var other = warehouse
        other.port = 5433
        f.putBackend("warehouse", other)
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: true)
        let outcomes = await CopyExecutor(targetWriters: f.writers, sourceWriters: f.writers).apply(plan)
        #expect(outcomes.allSatisfy { $0.receipt == nil && !$0.moved })
        #expect(f.backendHolds(.connection("queue")) == nil)
        #expect(f.metastore.record(.connection, named: "queue") != nil)
    }

    @Test func aMoveDeletesFromTheSourceOnlyAfterTheCopyIsVerified() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        f.putMetastore("queue", queue)
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: true)
        // Someone changes the target under the copy: that key's write is refused, so its source stays.
        f.putBackend("queue", warehouse)
        let outcomes = await CopyExecutor(targetWriters: f.writers, sourceWriters: f.writers).apply(plan)
        let byID = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.step.key.id, $0) })
        #expect(byID["warehouse"]?.moved == true)
        #expect(f.metastore.record(.connection, named: "warehouse") == nil)
        #expect(byID["queue"]?.moved == false)
        #expect(byID["queue"]?.error?.kind == .conflict)
        #expect(f.metastore.record(.connection, named: "queue") != nil, "a key whose copy failed stays in the source")
    }

    @Test func aMoveOfAKeyAlreadyInTheTargetRereadsTheTargetBeforeDeleting() async {
        let f = CopyFixture()
        f.putMetastore("queue", queue)
        f.putBackend("queue", queue)
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: true)
        #expect(plan.steps.map(\.actionName) == ["unchanged"])
        f.putBackend("queue", warehouse)   // changed since the plan was made
        let outcomes = await CopyExecutor(targetWriters: f.writers, sourceWriters: f.writers).apply(plan)
        #expect(outcomes.first?.moved == false)
        #expect(outcomes.first?.error?.kind == .conflict)
        #expect(f.metastore.record(.connection, named: "queue") != nil)
    }

    @Test func verificationReportsAKeyTheTargetNoLongerHoldsAfterTheReload() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        let state = await f.load()
        let planner = f.planner(state)
        let plan = planner.plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        let outcomes = await CopyExecutor(targetWriters: f.writers).apply(plan)
        f.putBackend("warehouse", queue)
        let verified = planner.verify(outcomes, against: await f.load())
        #expect(verified.first?.verificationProblem?.contains("does not hold the copied value") == true)
        #expect(verified.first?.succeeded == false)
    }

    @Test func aCopyVerifiedAfterwardsLetsWritersSkipTheirReadBackButAMoveNeverDoes() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        f.putMetastoreVariable("region", "eu-west-1")
        var state = await f.load()
        let copy = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        _ = await CopyExecutor(targetWriters: f.writers, verifiesAfterwards: true).apply(copy)
        #expect(Set(f.backend.namesVerifiedByCaller) == ["connections/warehouse", "variables/region"])

        let g = CopyFixture()
        g.putMetastore("warehouse", warehouse)
        state = await g.load()
        let move = g.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: true)
        let outcomes = await CopyExecutor(targetWriters: g.writers, sourceWriters: g.writers, verifiesAfterwards: true).apply(move)
        #expect(outcomes.first?.moved == true)
        #expect(g.backend.namesVerifiedByCaller.isEmpty, "each key of a move is read back before its source is deleted")
        #expect(g.backend.appliedNames == ["connections/warehouse"])
    }

    @Test func aWriteLeftToTheBatchCheckIsAProblemWhenTheReloadLacksItsKey() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        let state = await f.load()
        let planner = f.planner(state)
        let plan = planner.plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        let outcomes = await CopyExecutor(targetWriters: f.writers, verifiesAfterwards: true).apply(plan)
        // A deployment read again without the target tier at all cannot confirm the write.
        let empty = await DeploymentLoader(factory: FixedTierFactory([])).loadAll(f.deployment, context: .server)
        let verified = planner.verify(outcomes, against: empty)
        #expect(verified.first?.succeeded == false)
        #expect(verified.first?.verificationProblem != nil)
    }

    @Test func aCancelledCopyLeavesEveryKeyInTheSourceOrInBoth() async {
        let f = CopyFixture()
        for index in 0..<40 { f.putMetastore("conn_\(index)", warehouse) }
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: true)
        let task = Task {
            await CopyExecutor(targetWriters: f.writers, sourceWriters: f.writers, concurrency: 1).apply(plan) { done, _ in
                if done == 10 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        let outcomes = await task.value
        #expect(outcomes.contains { $0.error != nil }, "keys after the cancel are not copied")
        for index in 0..<40 {
            let inSource = f.metastore.record(.connection, named: "conn_\(index)") != nil
            let inTarget = f.backendHolds(.connection("conn_\(index)")) != nil
            #expect(inSource || inTarget, "conn_\(index) is in neither tier")
        }
    }
}
