import Engine
import XCTest
@testable import ViewModel

/// `:compare a b` and marking deployments: effective values of several deployments side by side.
final class CompareDeploymentTests: XCTestCase {
    func testCompareCommandLoadsBothDeploymentsAndShowsMissingDiffersAndSame() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("compare local prod")
        await harness.press(.enter)
        XCTAssertEqual(harness.loads, ["local", "compare:local", "compare:prod"])
        XCTAssertEqual(harness.state.mode, .compare)
        guard case .deployments(let comparison) = harness.state.compare?.content else {
            return XCTFail(":compare shows the deployments side by side")
        }
        XCTAssertEqual(comparison.deployments, ["local", "prod"])
        let region = comparison.rows.first { $0.key == .variable("region") }
        XCTAssertEqual(region?.cells.map(\.state), [.same, .differs])
        XCTAssertEqual(region?.cells.map(\.winner), [.backend, .env])
        let postgres = comparison.rows.first { $0.key == .connection("my_postgres") }
        XCTAssertEqual(postgres?.cells.map(\.state), [.same, .missing])
        XCTAssertTrue(harness.state.message?.text.contains("partial comparison") == true,
                      "prod's failed backend is reported, so a missing value is not taken at face value")
        XCTAssertEqual(harness.state.activeDeployment, 0, "comparing does not switch deployment")

        let frame = harness.frame
        XCTAssertTrue(frame.textLines[0].contains("Compare deployments · local · prod"))
        assertSnapshot(frame, named: "compare-deployments")

        await harness.press(.char("d"))
        XCTAssertEqual(harness.state.compare?.shownKeys, [.variable("region")])
        await harness.press(.char("p"))
        XCTAssertTrue(harness.state.compare?.shownKeys.contains(.connection("my_postgres")) == true)
        XCTAssertFalse(harness.state.compare?.shownKeys.contains(.variable("region")) == true)
    }

    func testEnterOnADeploymentRowListsItsFields() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("compare local prod")
        await harness.press(.enter, .char("d"), .enter)
        XCTAssertEqual(harness.state.compare?.fieldsKey, .variable("region"))
        let text = harness.frame.textLines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Value of var:region"))
        XCTAssertTrue(text.contains("value"))
        XCTAssertFalse(text.contains("eu-central-1"), "a variable's value is a secret until x")
        await harness.press(.char("x"))
        XCTAssertTrue(harness.frame.textLines.joined().contains("local eu-west-1 vs prod eu-central-1"))
    }

    func testCompareNeedsTwoKnownDeployments() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("compare local")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertTrue(harness.state.message?.text.contains("two or more") == true)
        await harness.press(.char(":"))
        await harness.type("compare local nowhere")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.message?.level, .error)
        XCTAssertTrue(harness.state.message?.text.contains("nowhere") == true)
        XCTAssertEqual(harness.loads, ["local"])
    }

    func testSpaceMarksDeploymentsAndCComparesThem() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("1"), .char("j"), .char(" "))
        XCTAssertEqual(harness.state.markedDeployments, [1])
        XCTAssertTrue(harness.frame.textLines.contains { $0.contains(" *prod") })
        await harness.press(.char("c"))
        guard case .deployments(let comparison) = harness.state.compare?.content else {
            return XCTFail("c with a marked deployment compares it with the active one")
        }
        XCTAssertEqual(comparison.deployments, ["local", "prod"])
        XCTAssertTrue(harness.state.markedDeployments.isEmpty, "marks are used up")
        await harness.press(.escape)
        XCTAssertEqual(harness.state.mode, .normal)
    }

    func testResultsOfAClosedComparisonAreIgnored() async {
        let harness = Sample.harness()
        await harness.start()
        var state = harness.state
        _ = AppReducer.reduce(&state, .keyPressed(.char(":")))
        for c in "compare local prod" { _ = AppReducer.reduce(&state, .keyPressed(.char(c))) }
        let effects = AppReducer.reduce(&state, .keyPressed(.enter))
        guard case .loadComparison(_, let request)? = effects.first else { return XCTFail("asks to load") }
        _ = AppReducer.reduce(&state, .keyPressed(.char("q")))
        _ = AppReducer.reduce(&state, .comparisonLoaded(request: request, results: []))
        XCTAssertEqual(state.mode, .normal)
        XCTAssertNil(state.compare)
    }
}
