import Engine
import TestSupport
import XCTest
@testable import ViewModel

/// Staging, undo, saving through the Engine's executor, delete by typed id, read-only refusals,
/// quitting with staged changes, and the operations log.
final class StagingReducerTests: XCTestCase {
    /// Opens the editor on `key`, sets `field` to `text` and stages it.
    private func stage(_ harness: Harness, _ key: SecretKey, field: ConnectionField, _ text: String, tier: Int? = nil) async {
        await harness.select(key)
        await harness.press(.char("e"))
        if let tier {
            await harness.press(.char("t"), .char("g"))
            for _ in 0..<tier { await harness.press(.char("j")) }
            await harness.press(.enter)
        }
        harness.focusEditorRow(.field(field))
        await harness.press(.enter, .ctrl("u"))
        await harness.type(text)
        await harness.press(.enter, .char("s"))
    }

    func testStagingWritesNothingAndShowsTheMaskedDiff() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .password, "rotated-pw")
        XCTAssertEqual(harness.state.mode, .staged)
        XCTAssertEqual(harness.state.staged.count, 1)
        XCTAssertTrue(sample.backend.appliedNames.isEmpty, "staging writes nothing")
        let plan = try XCTUnwrap(harness.state.stagedPlan?.changes.first)
        XCTAssertEqual(plan.fields.map(\.field), [.password])
        XCTAssertTrue(harness.screenText.contains("password  •••••••• → ••••••••"), harness.screenText)
        XCTAssertFalse(harness.screenText.contains("rotated-pw"))
        XCTAssertFalse(harness.screenText.contains(EditingSample.backendPassword))
    }

    func testAWriteToAShadowedTierIsStagedWithTheWarning() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .host, "env-db.internal", tier: 1)
        let plan = try XCTUnwrap(harness.state.stagedPlan?.changes.first)
        XCTAssertEqual(plan.target, .env)
        XCTAssertEqual(plan.warnings.first?.hasPrefix("this writes environment (.env), but the Local files value shadows it"), true)
        XCTAssertTrue(harness.screenText.contains("⚠ this writes environment (.env), but the Local files value shadows it"))
    }

    func testUndoDropsTheSelectedStagedChange() async {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .host, "a.internal")
        await harness.press(.escape)
        await stage(harness, .connection("数据仓库"), field: .host, "b.example.cn")
        XCTAssertEqual(harness.state.staged.map(\.change.key), [.connection("my_postgres"), .connection("数据仓库")])
        await harness.press(.char("k"), .char("u"))
        XCTAssertEqual(harness.state.staged.map(\.change.key), [.connection("数据仓库")])
        XCTAssertTrue(sample.backend.appliedNames.isEmpty && sample.metastore.appliedNames.isEmpty)
    }

    func testAnUnchangedValueIsNotStaged() async {
        let harness = EditingSample().harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .host, "db.internal")
        XCTAssertEqual(harness.state.mode, .editor)
        XCTAssertTrue(harness.state.staged.isEmpty)
        XCTAssertTrue(harness.state.message?.text.contains("unchanged") == true)
    }

    func testSaveWritesReloadsAndTheNewValueWins() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .host, "db2.internal")
        await harness.press(.char("s"))
        XCTAssertEqual(sample.backend.appliedNames, ["my_postgres"])
        XCTAssertEqual(harness.state.saveResults.map(\.succeeded), [true])
        XCTAssertTrue(harness.state.staged.isEmpty)
        XCTAssertEqual(harness.loads, ["local", "local"], "the deployment reloads after the save")
        XCTAssertEqual(harness.state.selectedEntry?.key, .connection("my_postgres"), "the cursor stays on the edited entry")
        guard case .connection(let now)? = harness.state.selectedEntry?.resolution.value else { return XCTFail("a connection") }
        XCTAssertEqual(now.host, "db2.internal")
        XCTAssertEqual(now.password, EditingSample.backendPassword, "the untouched password was kept")
        XCTAssertEqual(harness.state.operations.map(\.kind), [.write])
        XCTAssertFalse(harness.state.operations.map { "\($0)" }.joined().contains(EditingSample.backendPassword))
    }

    func testAConflictIsShownAndTheOtherWritersValueStays() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .host, "mine.internal")
        // Someone else changes the tier after Strata read it.
        let theirs = TierRecord.connection("my_postgres", Connection(connType: "postgres", host: "theirs.internal"))
        sample.backend.replace(.connection, named: "my_postgres", with: theirs)
        await harness.press(.char("s"))
        XCTAssertEqual(harness.state.saveResults.first?.succeeded, false)
        XCTAssertEqual(harness.state.saveResults.first?.message.hasPrefix("conflict: my_postgres in Local files changed since Strata read it"), true,
                       harness.state.saveResults.first?.message ?? "")
        XCTAssertEqual(harness.state.saveResults.first?.message.hasSuffix("nothing was written. Reload (R) to see what is there now, then edit again."),
                       true, "the TUI words the remedy with its own key: \(harness.state.saveResults.first?.message ?? "")")
        XCTAssertEqual(harness.state.staged.count, 1, "a change that was not written stays staged")
        guard case .present(.connection(let stored))? = sample.backend.record(.connection, named: "my_postgres")?.state else {
            return XCTFail("the other value is still there")
        }
        XCTAssertEqual(stored.host, "theirs.internal")
        XCTAssertTrue(harness.screenText.contains("✗ conn:my_postgres"), harness.screenText)
    }

    func testDeleteNeedsTheIdTypedExactly() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await harness.select(.variable("region"))
        await harness.press(.char("D"))
        XCTAssertEqual(harness.state.mode, .deleteConfirm)
        XCTAssertEqual(harness.state.deleteDialog?.tiers, [.backend, .env, .metastore])
        XCTAssertEqual(harness.state.deleteDialog?.tier, .backend)
        await harness.type("Region")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.mode, .deleteConfirm)
        XCTAssertTrue(harness.state.staged.isEmpty, "a wrongly typed id stages nothing")
        XCTAssertNotNil(harness.state.deleteDialog?.error)
        await harness.press(.ctrl("u"))
        await harness.type("region")
        await harness.press(.tab, .enter)
        XCTAssertEqual(harness.state.staged, [StagedEdit(change: .delete(.variable("region")), tier: .env)])
        XCTAssertTrue(sample.env.appliedNames.isEmpty)
        let plan = try XCTUnwrap(harness.state.stagedPlan?.changes.first)
        XCTAssertEqual(plan.winnerAfter, .backend)
    }

    func testReadOnlyRefusesEveryEditWithAClearMessage() async {
        let harness = EditingSample().harness(readOnly: true)
        await harness.start()
        await harness.select(.connection("my_postgres"))
        for key: Character in ["e", "E", "D", "S", "n"] {
            await harness.press(.char(key))
            XCTAssertEqual(harness.state.mode, .normal, "\(key) is refused")
            XCTAssertEqual(harness.state.message?.text.hasPrefix("Strata was started with --read-only; nothing is written"), true)
        }
        await harness.press(.char(":"))
        await harness.type("new conn x")
        await harness.press(.enter)
        XCTAssertNil(harness.state.editor)
        XCTAssertFalse(harness.state.visibleKeyMap.bindings.contains { Command.editing.contains($0.command) })
        XCTAssertFalse(harness.screenText.contains("e edit"), "no edit hint in the status line")
    }

    func testAReadOnlyDeploymentRefusesToo() async {
        let harness = EditingSample(readOnly: true).harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        XCTAssertNil(harness.state.editor)
        XCTAssertEqual(harness.state.message?.text.hasPrefix("deployment 'local' is read-only"), true)
    }

    func testQuittingWithStagedChangesAsksFirst() async {
        let harness = EditingSample().harness()
        await harness.start()
        await stage(harness, .connection("my_postgres"), field: .host, "x.internal")
        await harness.press(.escape, .char("q"))
        XCTAssertEqual(harness.state.mode, .confirmQuit)
        XCTAssertFalse(harness.quitRequested)
        await harness.press(.char("n"))
        XCTAssertEqual(harness.state.mode, .normal)
        await harness.press(.char(":"))
        await harness.type("q")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.mode, .confirmQuit, ":q asks too")
        await harness.press(.char("y"))
        XCTAssertTrue(harness.quitRequested)
    }

    func testTheOperationsLogOpensOnAtAndFollowsNewEntries() async {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.press(.char("@"))
        XCTAssertEqual(harness.state.mode, .operations)
        let entry = OperationLog.Entry(kind: .call, target: "secretsmanager.eu-west-1.amazonaws.com",
                                       name: "secretsmanager.GetSecretValue", result: "ok", succeeded: true)
        await harness.send(.operationsUpdated([entry]))
        XCTAssertTrue(harness.screenText.contains("secretsmanager.GetSecretValue"))
        await harness.press(.escape)
        XCTAssertEqual(harness.state.mode, .normal)
    }
}
