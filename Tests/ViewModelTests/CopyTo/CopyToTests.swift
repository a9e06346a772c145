import Editing
import Engine
import Testing
@testable import ViewModel

/// `C`: the destination picker, the plan it shows (refusals, conflicts under each policy),
/// applying it through the tiers' writers with progress, the results, the operations log, and
/// the refusals of a read-only session. No frame ever holds a value.
@Suite struct CopyToTests {
    @Test func thePickerOffersTheOtherTiersAndTheOtherWritableDeploymentsTiers() async {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        await harness.mark(.variable("region"), .connection("my_postgres"))
        await harness.press(.char("C"))
        #expect(harness.state.mode == .copyTargets)
        // Both keys are read from local's backend: that tier is not offered.
        #expect(AppReducer.copyDestinations(harness.state).map(\.address)
                == ["env", "metastore", "staging:backend", "staging:env", "staging:metastore"])
        #expect(harness.loads.contains("copy-target:staging"))
        #expect(!harness.loads.contains("copy-target:prod"), "a read-only deployment is not loaded to be offered")
        let screen = harness.screenText
        #expect(screen.contains("Copy 2 entries to"))
        #expect(screen.contains("each from its winning tier"), "the picker says which values are copied")
        #expect(screen.contains("prod: read-only deployment, not offered"))
        await harness.press(.escape)
        #expect(harness.state.mode == .normal)
        #expect(sample.stagingBackend.appliedNames.isEmpty && sample.localEnv.appliedNames.isEmpty)
    }

    @Test func withNothingMarkedTheSelectedEntryIsCopied() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.select(.variable("timeout"))
        await harness.press(.char("C"))
        #expect(harness.state.copyPicker?.keys == [.variable("timeout")])
        #expect(!AppReducer.copyDestinations(harness.state).map(\.address).contains("env"), "timeout is read from env")
    }

    @Test func thePlanShowsCreatesRefusalsAndAConflictThatBlocksUnderFail() async {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        await harness.mark(.variable("region"), .connection("my_postgres"), .variable("feature.flag"))
        await harness.copy(to: "staging:backend")
        #expect(harness.state.mode == .copyPlan)
        #expect(Set(harness.copyActions) == ["conflict var:region", "create conn:my_postgres", "refused var:feature.flag"])
        #expect(harness.state.copySession?.policy == .fail)
        #expect(harness.state.copySession?.plan.isBlocked == true)
        let screen = harness.screenText
        #expect(screen.contains("this backend's names hold no dot"), "a refusal says why")
        #expect(screen.contains("nothing is written while any key differs"))
        #expect(screen.contains("on conflict: fail"))
        await harness.press(.char("s"))
        #expect(sample.stagingBackend.appliedNames.isEmpty, "a blocked plan writes nothing")
        #expect(harness.state.message?.text.contains("o sets the policy to skip or overwrite") == true)
    }

    @Test func aKeyTheSourceCannotReadIsShownAsNotCopied() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.mark(.connection("locked_conn"), .variable("timeout"))
        await harness.copy(to: "staging:env")
        #expect(harness.copyActions == ["create var:timeout"])
        #expect(harness.state.copySession?.plan.problems.map(\.key) == [.connection("locked_conn")])
        #expect(harness.screenText.contains("unreadable conn:locked_conn: the Fernet key does not decrypt it (not copied)"))
    }

    @Test func aWriteThatMeetsAChangedTargetFailsAndSaysSo() async throws {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        await harness.mark(.variable("timeout"), .connection("my_postgres"))
        await harness.copy(to: "staging:env")
        #expect(Set(harness.copyActions) == ["create var:timeout", "create conn:my_postgres"])
        // Someone else writes the key after the plan was made: the guarded write must not replace it.
        sample.stagingEnv.replace(.variable, named: "AIRFLOW_VAR_TIMEOUT", with: .variable("AIRFLOW_VAR_TIMEOUT", "90", id: "timeout"))
        await harness.press(.char("s"))
        let outcomes = try #require(harness.state.copySession?.outcomes)
        #expect(CopyTally(outcomes) == { var t = CopyTally([]); t.written = 1; t.failed = 1; return t }())
        #expect(sample.stagingEnv.record(.variable, named: "AIRFLOW_VAR_TIMEOUT")?.state == .present(.variable("90")),
                "the other writer's value stays")
        #expect(harness.screenText.contains("✗ failed: conflict"))
        #expect(harness.state.message?.level == .error)
    }

    @Test func oCyclesTheConflictPolicyAndPlansAgain() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.mark(.variable("region"))
        await harness.copy(to: "staging:backend")
        #expect(harness.copyActions == ["conflict var:region"])
        await harness.press(.char("o"))
        #expect(harness.state.copySession?.policy == .skip)
        #expect(harness.copyActions == ["skipped var:region"])
        #expect(harness.screenText.contains("left as it is (on conflict: skip)"))
        await harness.press(.char("o"))
        #expect(harness.state.copySession?.policy == .overwrite)
        #expect(harness.copyActions == ["update var:region"])
        await harness.press(.char("o"))
        #expect(harness.state.copySession?.policy == .fail)
    }

    @Test func applyingWritesEachKeyVerifiesItAndLogsEachWrite() async throws {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        await harness.mark(.variable("region"), .connection("my_postgres"), .variable("feature.flag"))
        await harness.copy(to: "staging:backend")
        await harness.press(.char("o"), .char("o"))    // overwrite
        await harness.press(.char("s"))
        #expect(Set(sample.stagingBackend.appliedNames) == ["region", "my_postgres"])
        #expect(sample.stagingBackend.record(.variable, named: "region")?.state == .present(.variable("eu-west-1")))
        let session = try #require(harness.state.copySession)
        #expect(!session.isApplying)
        let outcomes = try #require(session.outcomes)
        #expect(CopyTally(outcomes) == { var t = CopyTally([]); t.written = 2; return t }())
        let verified = outcomes.filter { $0.receipt != nil && $0.succeeded }.count
        #expect(verified == 2, "each write verified after reading staging again")
        let writes = harness.state.operations.filter { $0.kind == .write }
        #expect(writes.count == 2, "the operations log records each write")
        #expect(harness.state.message?.text == "copied to staging files: 2 written, 0 unchanged, 0 failed, 0 unverified · @ shows the operations log")
        #expect(harness.screenText.contains("Done: 2 written, 0 unchanged, 0 failed, 0 unverified"))
        #expect(!harness.loads.dropFirst().contains("local"), "the deployment browsed was not written: it is not reloaded")
        // A second s plans again against staging as read after the copy: nothing is left to write.
        await harness.press(.char("s"))
        #expect(Set(harness.copyActions) == ["unchanged var:region", "unchanged conn:my_postgres", "refused var:feature.flag"])
        #expect(harness.state.copySession?.outcomes == nil)
    }

    @Test func copyingIntoATierOfTheDeploymentBrowsedReloadsIt() async {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        await harness.mark(.connection("my_postgres"))
        await harness.copy(to: "metastore")
        #expect(harness.copyActions == ["create conn:my_postgres"])
        await harness.press(.char("s"))
        #expect(sample.localMetastore.appliedNames == ["my_postgres"])
        #expect(harness.loads.filter { $0 == "local" }.count == 2, "the deployment reloads to show the copy")
        let entry = harness.state.entries.first { $0.key == .connection("my_postgres") }
        let row = entry?.resolution.tiers.first { $0.tier == .metastore }
        #expect({ if case .present? = row?.state { true } else { false } }(), "the reloaded list shows the metastore row")
    }

    @Test func progressShowsWhileACopyRuns() async throws {
        let harness = CopySample().harness()
        await harness.start()
        await harness.mark(.connection("my_postgres"))
        await harness.copy(to: "staging:env")
        // As the run loop sees it before the runner answers: the copy started, one progress report in.
        harness.state.copySession?.isApplying = true
        harness.state.copySession?.request = 41
        _ = AppReducer.reduce(&harness.state, .copyProgress(request: 41, done: 12, total: 40))
        #expect(harness.screenText.contains("copying 12/40"))
        _ = AppReducer.reduce(&harness.state, .copyProgress(request: 40, done: 13, total: 40))
        #expect(harness.state.copySession?.progress?.done == 12, "a report of an earlier copy is ignored")
        _ = AppReducer.reduce(&harness.state, .keyPressed(.escape))
        #expect(harness.state.mode == .normal)
        #expect(harness.screenText.contains("copying 12/40"), "the status line keeps the progress once the plan is closed")
        let effects = AppReducer.reduce(&harness.state, .keyPressed(.char("q")))
        #expect(harness.state.isQuitting, "q still quits while a copy runs")
        #expect(effects.contains { if case .quit = $0 { true } else { false } })
    }

    @Test func readOnlyRefusesCAsEditsAre() async {
        let sample = CopySample()
        let harness = sample.harness(readOnly: true)
        await harness.start()
        await harness.mark(.variable("region"))
        #expect(harness.state.markedEntries == [.variable("region")], "marking writes nothing and stays available")
        await harness.press(.char("C"))
        #expect(harness.state.mode == .normal)
        #expect(harness.state.message?.text.contains("--read-only") == true)
        #expect(!HelpContent.lines(harness.state).map(\.plainText).contains { $0.hasPrefix("  C ") })
    }

    @Test func aReadOnlyDeploymentRefusesC() async {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        await harness.press(.char("1"), .char("G"), .enter)
        #expect(harness.state.activeDeploymentValue?.name == "prod")
        await harness.press(.char("3"), .char(" "), .char("C"))
        #expect(harness.state.mode == .normal)
        #expect(harness.state.message?.text.contains("is read-only") == true)
    }

    @Test func noFrameOfTheCopyHoldsAValue() async {
        let sample = CopySample()
        let harness = sample.harness()
        await harness.start()
        var frames: [String] = []
        await harness.mark(.variable("region"), .connection("my_postgres"), .variable("timeout"))
        frames.append(harness.screenText)
        await harness.press(.char("C"))
        frames.append(harness.screenText)
        await harness.press(.escape)
        await harness.copy(to: "staging:backend")
        frames.append(harness.screenText)
        await harness.press(.char("o"), .char("o"))
        frames.append(harness.screenText)
        await harness.press(.char("s"))
        frames.append(harness.screenText)
        await harness.press(.char("G"))
        frames.append(harness.screenText)
        for frame in frames {
            #expect(!frame.contains(CopySample.password))
            #expect(!frame.contains("eu-west-1"), "a variable's value is never shown")
            #expect(!frame.contains(CopySample.stagingRegion))
        }
        #expect(!harness.state.operations.map { "\($0)" }.joined().contains(CopySample.password))
    }
}
