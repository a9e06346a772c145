import Engine
import XCTest
@testable import ViewModel

/// The overlays' keys come from one list that both dispatches them and writes the help.
final class OverlayKeyMapTests: XCTestCase {
    func testNoKeyIsBoundTwiceInAnOverlay() {
        for (name, keys) in [("compare", CompareKeys.map.bindings.flatMap(\.keys)), ("staged", StagedKeys.map.bindings.flatMap(\.keys)),
                            ("editor", EditorKeys.map.bindings.flatMap(\.keys)), ("delete", DeleteKeys.map.bindings.flatMap(\.keys)),
                            ("help", HelpKeys.map.bindings.flatMap(\.keys)), ("operations", OperationsKeys.map.bindings.flatMap(\.keys))] {
            XCTAssertEqual(Set(keys).count, keys.count, "\(name): a key bound twice would silently do only the first thing")
        }
    }

    func testTheHelpListsEveryStagedKeyUnderItsOwnHeading() {
        let lines = HelpContent.lines(AppState(deployments: [Deployment(name: "d")], size: Size(columns: 100, rows: 30)))
            .map(\.plainText)
        guard let heading = lines.firstIndex(of: "Staged changes (S)") else { return XCTFail("no staged section:\n\(lines.joined(separator: "\n"))") }
        let rows = StagedKeys.map.helpRows
        XCTAssertEqual(rows.count, StagedKeys.map.bindings.count - 1, "every binding but Ctrl-C is in the help")
        for (offset, row) in rows.enumerated() {
            let line = lines[heading + 1 + offset]
            XCTAssertTrue(line.contains(row.keys) && line.contains(row.text), "help row \(offset): \(line)")
        }
    }

    func testEveryStagedKeyDoesWhatTheHelpSays() async {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        harness.focusEditorRow(.field(.host))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("mine.internal")
        await harness.press(.enter, .char("s"))   // staging opens the staged view
        XCTAssertEqual(harness.state.mode, .staged)
        XCTAssertEqual(harness.state.staged.count, 1)
        // "d" as well as "u" drops the selected change.
        await harness.press(.char("d"))
        XCTAssertTrue(harness.state.staged.isEmpty, "d drops the selected change")
        await harness.press(.escape)
        XCTAssertEqual(harness.state.mode, .normal, "Esc closes the staged view")
    }

    func testTheHelpScrollsByPagesAndStopsAtItsEnd() async {
        let harness = Sample.harness(size: Size(columns: 100, rows: 20))
        await harness.start()
        await harness.press(.char("?"), .char(" "))
        let page = harness.state.helpScroll
        XCTAssertEqual(page, 20 - 4 - 1, "Space moves a page less one row")
        await harness.press(.char("G"))
        let end = harness.state.helpScroll
        await harness.press(.char("j"), .pageDown)
        XCTAssertEqual(harness.state.helpScroll, end, "nothing scrolls past the end")
        await harness.press(.char("g"))
        XCTAssertEqual(harness.state.helpScroll, 0)
        await harness.press(.enter)
        XCTAssertEqual(harness.state.mode, .normal, "Enter closes the help")
    }

    func testTheOperationsLogOpensAndClosesOnAt() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("@"))
        XCTAssertEqual(harness.state.mode, .operations)
        await harness.press(.char("@"))
        XCTAssertEqual(harness.state.mode, .normal)
    }

}
