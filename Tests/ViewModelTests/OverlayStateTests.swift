import Engine
import TestSupport
import XCTest
@testable import ViewModel

/// Overlays are one value: closing one leaves nothing of it behind, and whole states compare.
final class OverlayStateTests: XCTestCase {
    func testOpeningAndClosingHelpGivesBackTheSameState() async {
        let harness = Sample.harness()
        await harness.start()
        let before = harness.state
        await harness.press(.char("?"))
        XCTAssertEqual(harness.state.mode, .help)
        XCTAssertNotEqual(harness.state, before)
        await harness.press(.escape)
        XCTAssertEqual(harness.state, before, "help leaves no trace once closed")
    }

    func testAnUnboundKeyChangesNothing() async {
        let harness = Sample.harness()
        await harness.start()
        let before = harness.state
        await harness.press(.char("§"))
        XCTAssertEqual(harness.state, before)
    }

    func testOpeningTheEditorReplacesAnyOtherOverlayAndClosingItLeavesNoEditor() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("e"))
        XCTAssertEqual(harness.state.mode, .editor)
        XCTAssertNotNil(harness.state.editor)
        XCTAssertNil(harness.state.compare, "an editor and a comparison cannot both be open")
        XCTAssertNil(harness.state.deleteDialog)
        await harness.press(.escape)
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertNil(harness.state.editor, "the editor's state goes with it")
    }

    func testSettingAnOverlaysStateToNilClosesOnlyThatOverlay() {
        var state = AppState(deployments: [], size: Size(columns: 80, rows: 24))
        state.overlay = .help
        state.editor = nil
        XCTAssertEqual(state.mode, .help, "closing an editor that is not open leaves help open")
        state.compare = CompareView(.loadingDeployments(["a"]))
        XCTAssertEqual(state.mode, .compare)
        state.compare = nil
        XCTAssertEqual(state.overlay, .none)
    }
}
