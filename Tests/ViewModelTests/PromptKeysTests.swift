import Engine
import XCTest
@testable import ViewModel

/// The filter and the command line dispatch through key maps of their own, which also write
/// their part of the help.
final class PromptKeysTests: XCTestCase {
    func testCtrlUClearsWhatIsTypedInEitherPrompt() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("deployment pr")
        await harness.press(.ctrl("u"))
        XCTAssertEqual(harness.state.commandText, "")
        XCTAssertEqual(harness.state.mode, .command, "clearing keeps the command line open")
        await harness.press(.escape)
        await harness.press(.char("/"))
        await harness.type("region")
        XCTAssertEqual(harness.state.filter, "region")
        await harness.press(.ctrl("u"))
        XCTAssertEqual(harness.state.filter, "")
        XCTAssertEqual(harness.state.mode, .filter)
    }

    func testTheHelpListsEachPromptsKeysFromItsMap() {
        let help = HelpContent.lines(AppState(deployments: [Sample.local], size: Size(columns: 100, rows: 30)))
            .map(\.plainText).joined(separator: "\n")
        for row in FilterKeys.map.helpRows + CommandLineKeys.map.helpRows {
            XCTAssertTrue(help.contains(row.text), "the help has \(row.text)")
        }
        XCTAssertTrue(help.contains("clear what is typed"))
    }
}
