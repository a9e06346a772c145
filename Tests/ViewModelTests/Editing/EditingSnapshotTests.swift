import Editing
import Engine
import Foundation
import TestSupport
import XCTest
@testable import ViewModel

/// Frame snapshots (text plus style layer) of the editor, the tier picker, the staged view,
/// the delete and quit confirmations, read-only and the operations log.
final class EditingSnapshotTests: XCTestCase {
    private func editor(on key: SecretKey, _ sample: EditingSample = EditingSample()) async -> Harness {
        let harness = sample.harness()
        await harness.start()
        await harness.select(key)
        await harness.press(.char("e"))
        return harness
    }

    func testConnectionEditorWithThePasswordMasked() async {
        let harness = await editor(on: .connection("my_postgres"))
        XCTAssertFalse(harness.screenText.contains(EditingSample.backendPassword))
        assertSnapshot(harness.frame, named: "editor-connection-masked")
    }

    func testConnectionEditorRevealed() async {
        let harness = await editor(on: .connection("my_postgres"))
        await harness.press(.char("x"))
        XCTAssertTrue(harness.screenText.contains(EditingSample.backendPassword))
        assertSnapshot(harness.frame, named: "editor-connection-revealed")
    }

    func testConnectionEditorOnACJKIdStoredAsFields() async {
        let harness = await editor(on: .connection("数据仓库"))
        XCTAssertEqual(harness.state.editor?.form, .fields)
        assertSnapshot(harness.frame, named: "editor-cjk-id")
    }

    func testInlineURIError() async {
        let harness = await editor(on: .connection("my_postgres"))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("postgres://a://b://c")
        assertSnapshot(harness.frame, named: "editor-uri-error")
    }

    func testExtraNotAnObjectOnAirflow3() async {
        let harness = await editor(on: .connection("my_postgres"))
        harness.focusEditorRow(.field(.extra))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("\"just text\"")
        assertSnapshot(harness.frame, named: "editor-extra-not-object")
    }

    func testVariableEditorWithInvalidJSON() async {
        let harness = await editor(on: .variable("feature_flags"))
        // Revealed (x) first: a variable's value is masked in the editor until then.
        await harness.press(.char("x"))
        await harness.press(.enter, .end, .backspace)
        await harness.type(",")
        assertSnapshot(harness.frame, named: "editor-variable-json-error")
    }

    func testTierPickerWithAnUnavailableTier() async {
        let sample = EditingSample()
        sample.extraUnavailable = TierWriterSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore"),
                                                 reason: "no metastore URL given")
        let harness = await editor(on: .connection("my_postgres"), sample)
        await harness.press(.char("t"))
        assertSnapshot(harness.frame, named: "editor-tier-picker")
    }

    func testStagedDiffWithAShadowingWarningAndARefusal() async {
        let harness = await editor(on: .connection("my_postgres"))
        // To the env tier, which the backend shadows.
        await harness.press(.char("t"), .char("g"), .char("j"), .enter)
        harness.focusEditorRow(.field(.host))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("env-db.internal")
        await harness.press(.enter, .char("s"), .escape)
        // A placeholder typed as a password: the planner refuses it.
        await harness.select(.connection("数据仓库"))
        await harness.press(.char("e"))
        harness.focusEditorRow(.field(.password))
        await harness.press(.enter)
        await harness.type("***")
        await harness.press(.enter, .char("s"))
        XCTAssertEqual(harness.state.stagedPlan?.changes.map { $0.refusal?.kind }, [nil, .placeholder])
        assertSnapshot(harness.frame, named: "staged-warning-and-refusal")
    }

    func testDeleteAsksForTheId() async {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.variable("region"))
        await harness.press(.char("D"))
        await harness.type("regio")
        await harness.press(.enter)
        assertSnapshot(harness.frame, named: "delete-typed-id")
    }

    func testQuitWithStagedChangesAsks() async {
        let harness = await editor(on: .connection("my_postgres"))
        harness.focusEditorRow(.field(.schema))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("reporting")
        await harness.press(.enter, .char("s"), .escape, .char("q"))
        assertSnapshot(harness.frame, named: "quit-with-staged")
    }

    func testReadOnlyRefusal() async {
        let harness = EditingSample().harness(readOnly: true)
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        assertSnapshot(harness.frame, named: "read-only-refusal")
    }

    func testOperationsLogNewestFirst() async {
        let harness = EditingSample().harness()
        await harness.start()
        let start = Date(timeIntervalSince1970: 1_767_225_600)   // 2026-01-01 00:00:00 UTC
        await harness.send(.operationsUpdated([
            OperationLog.Entry(time: start, kind: .call, target: "secretsmanager.eu-west-1.amazonaws.com",
                               name: "secretsmanager.GetSecretValue", result: "ok", succeeded: true, duration: .milliseconds(38)),
            OperationLog.Entry(time: start.addingTimeInterval(61), kind: .write, target: "environment (.env)",
                               name: "conn:my_postgres → AIRFLOW_CONN_MY_POSTGRES", result: "updated", succeeded: true,
                               duration: .microseconds(2_400)),
            OperationLog.Entry(time: start.addingTimeInterval(125), kind: .write, target: "HashiCorp Vault",
                               name: "var:region", result: "conflict", succeeded: false, duration: .milliseconds(112)),
        ]))
        await harness.press(.char("@"))
        assertSnapshot(harness.frame, named: "operations-log")
    }
}
