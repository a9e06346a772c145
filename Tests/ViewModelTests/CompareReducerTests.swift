import Engine
import XCTest
@testable import ViewModel

/// The tier comparison overlay: opening, filtering, the field view, closing.
final class CompareReducerTests: XCTestCase {
    func testCOpensTheTierMatrixOfTheCurrentDeploymentOnTheSelectedId() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"))
        XCTAssertEqual(harness.state.mode, .compare)
        guard let view = harness.state.compare, case .tiers(let matrix) = view.content else {
            return XCTFail("c opens the tier comparison")
        }
        XCTAssertEqual(matrix.tiers, [.backend, .env, .metastore])
        XCTAssertEqual(matrix.rows.map(\.key), harness.state.entries.map(\.key), "one row per id of the list")
        XCTAssertEqual(view.selectedKey, .connection("my_postgres"), "the cursor starts on the id selected in the list")
        XCTAssertEqual(view.filter, .all)
    }

    func testFiltersKeepOnlyShadowedDifferingOrProblemRows() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .char("d"))
        XCTAssertEqual(harness.state.compare?.filter, .differing)
        // my_var and MY_VAR both read AIRFLOW_VAR_MY_VAR, whose value differs from each metastore row.
        let differing: Set<SecretKey> = [.connection("my_postgres"), .variable("region"), .variable("my_var"), .variable("MY_VAR")]
        XCTAssertEqual(Set(harness.state.compare?.shownKeys ?? []), differing)
        await harness.press(.char("s"))
        XCTAssertTrue(differing.isSubset(of: Set(harness.state.compare?.shownKeys ?? [])), "a differing row is shadowed")
        XCTAssertFalse(harness.state.compare?.shownKeys.contains(.variable("🚀_launch")) == true, "a value in one tier only is not shadowed")
        await harness.press(.char("p"))
        XCTAssertTrue(harness.state.compare?.shownKeys.contains(.connection("locked_conn")) == true, "an unreadable tier is a problem")
        XCTAssertFalse(harness.state.compare?.shownKeys.contains(.variable("🚀_launch")) == true)
        await harness.press(.char("a"))
        XCTAssertEqual(harness.state.compare?.shownKeys.count, harness.state.entries.count)
    }

    func testMovementStaysInsideTheRows() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .char("g"), .char("k"))
        XCTAssertEqual(harness.state.compare?.cursor, 0)
        await harness.press(.char("j"))
        XCTAssertEqual(harness.state.compare?.cursor, 1)
        await harness.press(.char("G"))
        XCTAssertEqual(harness.state.compare?.cursor, harness.state.entries.count - 1)
        await harness.press(.pageUp, .pageUp)
        XCTAssertEqual(harness.state.compare?.cursor, 0)
    }

    func testEnterListsTheFieldsAndEscGoesBackThenCloses() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .enter)
        XCTAssertEqual(harness.state.compare?.fieldsKey, .connection("my_postgres"))
        let rows = FieldComparison.rows(harness.state.compare!.fieldColumns(.connection("my_postgres")))
        XCTAssertEqual(rows.filter(\.differs).map(\.field), [.host, .password, .extraKey("api_token"), .extraKey("retries"), .extraKey("sslmode")])
        XCTAssertEqual(rows.filter { !$0.differs }.map(\.field), [.connType, .login, .schema, .port])
        await harness.press(.escape)
        XCTAssertNil(harness.state.compare?.fieldsKey)
        XCTAssertEqual(harness.state.mode, .compare, "Esc leaves the field view first")
        await harness.press(.escape)
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertNil(harness.state.compare)
    }

    func testQAndCCloseWithoutQuitting() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .char("q"))
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertFalse(harness.quitRequested)
        await harness.press(.char("c"), .enter, .char("c"))
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertNil(harness.state.compare)
    }

    func testTheMatrixFollowsTiersThatArriveWhileItIsOpen() async {
        let harness = Sample.harness()
        harness.heldTiers = [.backend]
        await harness.start()
        await harness.press(.char("c"))
        guard case .tiers(let before) = harness.state.compare?.content else { return XCTFail("open") }
        XCTAssertTrue(before.rows.allSatisfy { $0.cells[0].state == .loading })
        let slots = harness.environment.factory.makeTiers(for: Sample.local, context: .server)
        let source = slots.first { $0.tier == .backend }!.source!
        let loaded = TierLoadState.loaded(LoadedTier(source: source, snapshot: try! await source.load(), latency: .milliseconds(1)))
        await harness.send(.tierLoaded(generation: harness.state.generation, tier: .backend, state: loaded))
        guard case .tiers(let after) = harness.state.compare?.content else { return XCTFail("still open") }
        XCTAssertEqual(after.rows.first { $0.key == .connection("my_postgres") }?.cells[0].state, .winner)
    }
}
