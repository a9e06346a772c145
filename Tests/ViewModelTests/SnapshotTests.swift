import Engine
import XCTest
@testable import ViewModel

/// Frame snapshots (text plus style layer) of every pane and state.
final class SnapshotTests: XCTestCase {
    func testFirstFrameWhileEveryTierIsLoading() async {
        let harness = Sample.harness()
        harness.heldTiers = [.backend, .env, .metastore]
        await harness.start()
        assertSnapshot(harness.frame, named: "loading")
    }

    func testSlowBackendWhileTheOtherTiersHaveArrived() async {
        let harness = Sample.harness()
        harness.heldTiers = [.backend]
        await harness.start()
        assertSnapshot(harness.frame, named: "backend-still-loading")
    }

    func testConnectionWithAShadowedDifferingTierMasked() async {
        let harness = Sample.harness()
        await harness.start()
        let frame = harness.frame
        XCTAssertFalse(frame.textLines.joined().contains(Sample.backendPassword), "the password is masked")
        XCTAssertFalse(frame.textLines.joined().contains("tok-123"), "sensitive extra keys are masked")
        assertSnapshot(frame, named: "connection-masked")
    }

    func testConnectionRevealed() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("x"))
        let frame = harness.frame
        XCTAssertTrue(frame.textLines.joined().contains(Sample.backendPassword))
        assertSnapshot(frame, named: "connection-revealed")
    }

    func testUnreadableTier() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("g"), .char("4"))
        XCTAssertEqual(harness.state.selectedEntry?.key, .connection("locked_conn"))
        assertSnapshot(harness.frame, named: "unreadable-detail-focused")
    }

    func testCJKAndEmojiIdsAndAnInertEscapeInAnId() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("/"))
        await harness.type("var:")
        await harness.press(.enter, .char("G"), .char("x"))
        let frame = harness.frame
        XCTAssertFalse(frame.cells.contains { $0.text.unicodeScalars.contains { InertText.needsEscape($0) } },
                       "no control or bidi character reaches the frame")
        assertSnapshot(frame, named: "cjk-emoji-ids")
    }

    func testFilterBeingTyped() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("/"))
        await harness.type("@differs")
        assertSnapshot(harness.frame, named: "filter-typing")
    }

    func testFailedBackendOnAReadOnlyDeployment() async {
        let harness = Sample.harness(initial: "prod")
        await harness.start()
        await harness.press(.char("1"))
        assertSnapshot(harness.frame, named: "backend-failed")
    }

    func testHelpOverlay() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("?"))
        assertSnapshot(harness.frame, named: "help")
    }

    func testCopyMenu() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("y"))
        assertSnapshot(harness.frame, named: "copy-menu")
    }

    func testCommandLine() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("theme mono")
        assertSnapshot(harness.frame, named: "command-line")
    }

    func testSmallestUsableTerminal() async {
        let harness = Sample.harness(size: Layout.minimum)
        await harness.start()
        assertSnapshot(harness.frame, named: "minimum-size")
    }

    func testTinyTerminalSaysItIsTooSmall() async {
        let harness = Sample.harness(size: Size(columns: 40, rows: 10))
        await harness.start()
        XCTAssertTrue(harness.frame.textLines.joined().contains("terminal too small"))
        assertSnapshot(harness.frame, named: "too-small")
    }
}
