import Editing
import Engine
import Testing
import TestSupport

@Suite("Copy plans: what each key becomes in the target, before anything is written")
struct CopyPlannerTests {
    @Test func keysTheTargetLacksAreCreatedAndSayTheSourceRowBecomesDead() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        f.putMetastoreVariable("region", "eu-west-1")
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        #expect(plan.steps.map(\.key) == [.connection("warehouse"), .variable("region")])
        #expect(plan.steps.map(\.actionName) == ["create", "create"])
        #expect(plan.steps.map { $0.write?.name } == ["connections/warehouse", "variables/region"])
        #expect(plan.steps.allSatisfy { $0.notes.contains { $0.contains("metastore row becomes dead") && $0.contains("--move") } })
        #expect(!plan.isBlocked)
    }

    @Test func aDifferingTargetValueBlocksTheWholePlanUnlessThePolicySaysOtherwise() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        f.putMetastore("queue", queue)
        var other = warehouse
        other.password = "another-pw"
        f.putBackend("warehouse", other)
        let state = await f.load()
        let items = CopyItems.fromTier(.metastore, of: state)

        let failing = f.planner(state).plan(items, sourceLabel: "metastore", policy: .fail, move: false)
        #expect(failing.isBlocked)
        #expect(failing.steps.first { $0.key.id == "warehouse" }?.actionName == "conflict")
        #expect(failing.steps.first { $0.key.id == "warehouse" }?.write?.fields.map(\.field) == [.password])

        let skipping = f.planner(state).plan(items, sourceLabel: "metastore", policy: .skip, move: false)
        #expect(!skipping.isBlocked)
        #expect(skipping.steps.map(\.actionName).sorted() == ["create", "skipped"])

        let overwriting = f.planner(state).plan(items, sourceLabel: "metastore", policy: .overwrite, move: false)
        #expect(overwriting.steps.map(\.actionName).sorted() == ["create", "update"])
    }

    @Test func aValueTheTargetAlreadyHoldsIsUnchangedEvenInAnotherForm() async {
        let f = CopyFixture()
        var noSchema = queue
        noSchema.schema = nil
        f.putMetastore("queue", noSchema)
        var readBack = noSchema
        readBack.schema = ""   // what a URI round trip gives for a missing schema
        f.putBackend("queue", readBack)
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        #expect(plan.steps.map(\.actionName) == ["unchanged"])
        #expect(plan.writes.isEmpty)
    }

    @Test func idsTheTargetCannotNameAndHiddenFieldsAreRefusedWithTheReason() async {
        let f = CopyFixture()
        f.putMetastore("my db", warehouse)
        let state = await f.load()
        var items = CopyItems.fromTier(.metastore, of: state)
        items.items.append(CopyItem(key: .connection("api_conn"), value: .connection(queue),
                                    hidden: HiddenFields([["password"]]), origin: "Airflow REST API"))
        let plan = f.planner(state).plan(items, sourceLabel: "metastore", policy: .fail, move: false)
        #expect(plan.steps.map(\.actionName) == ["refused", "refused"])
        #expect(plan.steps[0].reason?.contains("cannot name ids with spaces") == true)
        #expect(plan.steps[1].reason?.contains("hides password") == true)
        #expect(!plan.isBlocked, "refused keys are reported, not a reason to write nothing")
    }

    @Test func aConnectionTheURIFormCannotHoldExactlyIsStoredAsJSON() async {
        let f = CopyFixture()
        var described = warehouse
        described.description = "the warehouse"
        f.putMetastore("described", described)
        f.putMetastore("plain", warehouse)
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
        let forms = plan.steps.map { step -> ConnectionForm? in
            if case .set(_, let form)? = step.write?.change.action { return form }
            return nil
        }
        #expect(plan.steps.map(\.key.id) == ["described", "plain"])
        #expect(forms == [.json, .uri])
    }

    @Test func aMovePlansTheSourceDeleteAndSaysNothingOfADeadRow() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        let state = await f.load()
        let plan = f.planner(state).plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: true)
        #expect(plan.steps.first?.sourceDelete?.target == .metastore)
        #expect(plan.steps.first?.sourceDelete?.change == .delete(.connection("warehouse")))
        #expect(plan.steps.first?.notes.contains { $0.contains("dead") } == false)
    }

    @Test func copyingIntoATierBelowTheWinnerSaysWhichTierStillWins() async {
        let f = CopyFixture()
        f.putBackend("warehouse", warehouse)
        let state = await f.load()
        let plan = f.planner(state, into: .metastore, from: .backend)
            .plan(.fromTier(.backend, of: state), sourceLabel: "backend", policy: .fail, move: false)
        #expect(plan.steps.first?.actionName == "create")
        #expect(plan.steps.first?.notes.contains { $0.contains("backend shadows it") } == true)
    }

    @Test func aReadOnlyRunRefusesEveryKey() async {
        let f = CopyFixture()
        f.putMetastore("warehouse", warehouse)
        let state = await f.load()
        let planner = CopyPlanner(target: state, targetWriters: f.writers, targetTier: .backend, globalReadOnly: true)
        let plan = planner.plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .overwrite, move: false)
        #expect(plan.steps.map(\.actionName) == ["refused"])
        #expect(plan.steps.first?.reason?.contains("--read-only") == true)
    }
}
