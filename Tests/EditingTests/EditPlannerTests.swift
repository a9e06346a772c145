import Testing
import Editing
import Engine
import TestSupport

/// A deployment with an environment tier over a metastore tier, both in memory and writable.
private struct Fixture {
    let env = InMemoryTierStore(.env, label: "environment", naming: InMemoryTier.environmentNaming)
    let metastore = InMemoryTierStore(.metastore, label: "metastore", connectionForms: [.fields])
    var deployment = Deployment(name: "prod", airflowVersion: .v3)

    func load() async -> DeploymentState {
        await DeploymentLoader(factory: FixedTierFactory([env.source, metastore.source])).loadAll(deployment, context: .server)
    }

    var writers: [TierWriterSlot] { [TierWriterSlot(writer: env.writer), TierWriterSlot(writer: metastore.writer)] }

    func planner(_ state: DeploymentState, readOnly: Bool = false) -> EditPlanner {
        EditPlanner(state: state, writers: writers, globalReadOnly: readOnly)
    }
}

private let db = Connection(connType: "postgres", host: "db.internal", login: "app", password: "s3cret-pw", schema: "prod", port: 5432)

@Suite struct EditPlannerRules {
    @Test func aNewValueInTheWinningTierTakesEffectWithAFieldDiff() async {
        let f = Fixture()
        f.env.replace(.connection, named: "AIRFLOW_CONN_DB", with: .connection("AIRFLOW_CONN_DB", db, id: "db"))
        var changed = db
        changed.host = "db2.internal"
        let planned = f.planner(await f.load()).plan(.set(.connection("db"), .connection(changed)), into: .env)
        #expect(planned.refusal == nil)
        #expect(planned.willWrite)
        #expect(planned.name == "AIRFLOW_CONN_DB")
        #expect(planned.fields.map(\.field) == [.host])
        #expect(planned.fields.first?.displayedBefore(mask: "•••") == "db.internal")
        #expect(planned.winnerAfter == .env)
        #expect(planned.takesEffect)
        #expect(planned.warnings.isEmpty)
    }

    @Test func writingAShadowedTierSaysWhichTierStillWins() async {
        let f = Fixture()
        f.env.replace(.variable, named: "AIRFLOW_VAR_REGION", with: .variable("AIRFLOW_VAR_REGION", "eu-west-1", id: "region"))
        let planned = f.planner(await f.load()).plan(.set(.variable("region"), .variable("us-east-1", description: nil)), into: .metastore)
        #expect(planned.willWrite)
        #expect(!planned.takesEffect)
        #expect(planned.winnerAfter == .env)
        #expect(planned.warnings.contains { $0.contains("this writes metastore, but the environment value shadows it") })
    }

    @Test func secretFieldsAreMaskedInTheDiff() async {
        let f = Fixture()
        f.metastore.replace(.connection, named: "db", with: .connection("db", db))
        var changed = db
        changed.password = "n3w-secret"
        let planned = f.planner(await f.load()).plan(.set(.connection("db"), .connection(changed), form: .fields), into: .metastore)
        let password = planned.fields.first { $0.field == .password }
        #expect(password?.displayedBefore(mask: "•••") == "•••")
        #expect(password?.displayedAfter(mask: "•••") == "•••")
    }

    @Test func anUnchangedValueIsNotWritten() async {
        let f = Fixture()
        f.metastore.replace(.connection, named: "db", with: .connection("db", db))
        let planned = f.planner(await f.load()).plan(.set(.connection("db"), .connection(db), form: .fields), into: .metastore)
        #expect(planned.isNoOp)
        #expect(!planned.willWrite)
    }

    @Test func deletingAnAbsentKeyIsANoOp() async {
        let f = Fixture()
        let planned = f.planner(await f.load()).plan(.delete(.variable("nothing")), into: .env)
        #expect(planned.isNoOp)
    }

    @Test func deletingTheWinnerSaysWhatAirflowReadsAfterwards() async {
        let f = Fixture()
        f.env.replace(.variable, named: "AIRFLOW_VAR_REGION", with: .variable("AIRFLOW_VAR_REGION", "eu-west-1", id: "region"))
        f.metastore.replace(.variable, named: "region", with: .variable("region", "us-east-1"))
        let planned = f.planner(await f.load()).plan(.delete(.variable("region")), into: .env)
        #expect(planned.winnerAfter == .metastore)
        #expect(planned.warnings.contains { $0.contains("after the delete Airflow reads var:region from metastore") })
    }

    @Test(arguments: ["***", "••••••••", "<masked>", "  ********  "])
    func aMaskedPlaceholderIsNeverWritten(_ placeholder: String) async {
        let f = Fixture()
        var changed = db
        changed.password = placeholder
        let planned = f.planner(await f.load()).plan(.set(.connection("db"), .connection(changed)), into: .env)
        #expect(planned.refusal?.kind == .placeholder)
        #expect(planned.refusal?.message.contains("password") == true)
        #expect(!planned.willWrite)
    }

    @Test func aPlaceholderInASensitiveExtraKeyIsRefusedToo() async {
        let f = Fixture()
        var changed = db
        changed.extra = #"{"api_token": "***", "region": "eu"}"#
        let planned = f.planner(await f.load()).plan(.set(.connection("db"), .connection(changed)), into: .env)
        #expect(planned.refusal?.kind == .placeholder)
        #expect(planned.refusal?.message.contains("extra.api_token") == true)
    }

    @Test func starsInsideARealValueAreNotAPlaceholder() {
        #expect(!MaskedPlaceholder.matches("pa**word"))
        #expect(!MaskedPlaceholder.matches("**"))
        #expect(MaskedPlaceholder.matches("*****"))
    }

    @Test func aReadOnlyDeploymentRefusesEveryChange() async {
        var f = Fixture()
        f.deployment.readOnly = true
        let planned = f.planner(await f.load()).plan(.set(.variable("x"), .variable("1", description: nil)), into: .env)
        #expect(planned.refusal?.kind == .readOnly)
        #expect(planned.refusal?.message.contains("read_only") == true)
    }

    @Test func theReadOnlyFlagRefusesEveryChange() async {
        let f = Fixture()
        let planned = f.planner(await f.load(), readOnly: true).plan(.delete(.variable("x")), into: .env)
        #expect(planned.refusal?.kind == .readOnly)
        #expect(planned.refusal?.message.contains("--read-only") == true)
    }

    @Test func aFormTheTierDoesNotStoreIsRefusedNamingTheFormsItDoes() async {
        let f = Fixture()
        let planned = f.planner(await f.load()).plan(.set(.connection("db"), .connection(db), form: .uri), into: .metastore)
        #expect(planned.refusal?.kind == .invalid)
        #expect(planned.refusal?.message.contains("use fields") == true)
    }

    @Test func aTierWithoutAWriterIsRefusedWithItsReason() async {
        let f = Fixture()
        let state = await f.load()
        let planner = EditPlanner(state: state, writers: [TierWriterSlot(unavailable: TierDescriptor(tier: .env, label: "environment"),
                                                                          reason: "the environment is set inline in strata.yaml")])
        let planned = planner.plan(.set(.variable("x"), .variable("1", description: nil)), into: .env)
        #expect(planned.refusal?.kind == .unsupported)
        #expect(planned.refusal?.message.contains("inline in strata.yaml") == true)
    }

    @Test func aKeyTheTierNeverReadsIsRefused() async {
        let store = InMemoryTierStore(.backend, label: "Vault", naming: { key in
            key.id.hasPrefix("ok_") ? .name(key.id) : .skipped(reason: "connections_lookup_pattern does not match")
        })
        let state = await DeploymentLoader(factory: FixedTierFactory([store.source])).loadAll(Deployment(name: "d"), context: .server)
        let planned = EditPlanner(state: state, writers: [TierWriterSlot(writer: store.writer)])
            .plan(.set(.connection("db"), .connection(db)), into: .backend)
        #expect(planned.refusal?.kind == .invalid)
        #expect(planned.refusal?.message.contains("lookup_pattern") == true)
    }

    @Test func noMessageHoldsTheSecret() async {
        let f = Fixture()
        f.metastore.replace(.connection, named: "db", with: .connection("db", db))
        var changed = db
        changed.password = "***"
        let plans = [
            f.planner(await f.load()).plan(.set(.connection("db"), .connection(changed), form: .fields), into: .metastore),
            f.planner(await f.load(), readOnly: true).plan(.set(.connection("db"), .connection(db), form: .fields), into: .metastore),
        ]
        for planned in plans {
            let text = ([planned.refusal?.message ?? ""] + planned.warnings).joined()
            #expect(!text.contains("s3cret-pw"))
        }
    }
}

@Suite struct EditExecutorFlow {
    @Test func aSavedChangeIsReadBackAndWinsAfterReloading() async {
        let f = Fixture()
        let log = OperationLog()
        let planned = f.planner(await f.load()).plan(.set(.variable("region"), .variable("eu-north-1", description: "where")), into: .env)
        let outcome = await EditExecutor(writers: f.writers, log: log).apply(planned)
        #expect(outcome.succeeded)
        #expect(outcome.receipt?.created == true)
        let reloaded = await f.load().resolve(.variable("region"))
        #expect(reloaded.winner == .env)
        #expect(reloaded.value == .variable("eu-north-1"))
        #expect(log.entries.count == 1)
        #expect(log.entries.first?.kind == .write)
        #expect(log.entries.first?.succeeded == true)
        #expect(!(log.entries.first.map { "\($0)" } ?? "").contains("eu-north-1"))
    }

    @Test func aConcurrentChangeIsAConflictAndTheOtherValueSurvives() async {
        let f = Fixture()
        f.metastore.replace(.variable, named: "region", with: .variable("region", "eu-west-1"))
        let planned = f.planner(await f.load()).plan(.set(.variable("region"), .variable("mine", description: nil)), into: .metastore)
        // Someone else edits the row after Strata loaded it.
        f.metastore.replace(.variable, named: "region", with: .variable("region", "theirs"))
        let log = OperationLog()
        let outcome = await EditExecutor(writers: f.writers, log: log).apply(planned)
        #expect(outcome.error?.kind == .conflict)
        #expect(outcome.error?.message.contains("changed since Strata read it") == true)
        // The advice is a remedy each front end words itself; the message names no key.
        #expect(outcome.error?.remedy == .editAgainOnCurrentValue)
        #expect(outcome.error?.message.contains("(R)") == false)
        #expect(f.metastore.record(.variable, named: "region")?.state == .present(.variable("theirs")))
        #expect(log.entries.first?.result == "conflict")
        #expect(log.entries.first?.succeeded == false)
    }

    @Test func aKeyCreatedMeanwhileIsAConflict() async {
        let f = Fixture()
        let planned = f.planner(await f.load()).plan(.set(.variable("fresh"), .variable("mine", description: nil)), into: .metastore)
        f.metastore.replace(.variable, named: "fresh", with: .variable("fresh", "theirs"))
        let outcome = await EditExecutor(writers: f.writers, log: OperationLog()).apply(planned)
        #expect(outcome.error?.message.contains("was created by someone else") == true)
    }

    @Test func refusedAndNoOpChangesWriteNothing() async {
        let f = Fixture()
        f.metastore.replace(.connection, named: "db", with: .connection("db", db))
        let state = await f.load()
        let plan = f.planner(state).plan([
            (change: .set(.connection("db"), .connection(db), form: .fields), tier: .metastore),
            (change: .set(.variable("x"), .variable("***", description: nil)), tier: .env),
        ])
        #expect(plan.writes.isEmpty)
        #expect(plan.refusals.count == 1)
        let outcomes = await EditExecutor(writers: f.writers, log: OperationLog()).apply(plan)
        #expect(outcomes.allSatisfy { !$0.succeeded })
        #expect(f.metastore.appliedNames.isEmpty && f.env.appliedNames.isEmpty)
    }

    @Test func theLogDropsItsOldestEntriesBeyondItsCapacity() {
        let log = OperationLog(capacity: 3)
        for i in 0..<5 { log.record(.init(kind: .call, target: "t", name: "n\(i)", result: "200", succeeded: true)) }
        #expect(log.entries.map(\.name) == ["n2", "n3", "n4"])
        #expect(log.totalCount == 5)
    }
}

@Suite struct EditPlannerCollisions {
    @Test func aCollisionIsWarnedOnlyInTheTierWhereTheNamesCollide() async {
        let f = Fixture()
        f.env.replace(.variable, named: "AIRFLOW_VAR_MY_VAR", with: .variable("AIRFLOW_VAR_MY_VAR", "upper", id: "MY_VAR"))
        f.metastore.replace(.variable, named: "my_var", with: .variable("my_var", "lower"))
        f.metastore.replace(.variable, named: "MY_VAR", with: .variable("MY_VAR", "upper"))
        let state = await f.load()
        let inEnv = f.planner(state).plan(.set(.variable("MY_VAR"), .variable("new", description: nil)), into: .env)
        #expect(inEnv.warnings.contains { $0.contains("shares its stored name AIRFLOW_VAR_MY_VAR with my_var") })
        let inMetastore = f.planner(state).plan(.set(.variable("MY_VAR"), .variable("new", description: nil)), into: .metastore)
        #expect(!inMetastore.warnings.contains { $0.contains("shares its stored name") })
    }
}
