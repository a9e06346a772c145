import Engine
import TestSupport
import XCTest
@testable import ViewModel

final class ReducerTests: XCTestCase {
    func testOpensOnTheFirstDeploymentAndListsConnectionsFirstSortedById() async {
        let harness = Sample.harness()
        await harness.start()
        XCTAssertEqual(harness.loads, ["local"])
        XCTAssertEqual(harness.state.entries.map(\.key.description).prefix(2), ["conn:locked_conn", "conn:my_postgres"])
        XCTAssertEqual(harness.state.selectedEntry?.key, .connection("my_postgres"),
                       "the cursor stays on the entry it was on when a later tier adds rows above it")
        XCTAssertEqual(harness.state.focus, .list)
    }

    func testOpensOnTheRequestedDeployment() async {
        let harness = Sample.harness(initial: "prod")
        await harness.start()
        XCTAssertEqual(harness.loads, ["prod"])
        XCTAssertEqual(harness.state.activeDeployment, 1)
    }

    func testMovementKeysMoveTheSelectionWithinTheList() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("g"))
        await harness.press(.char("j"))
        XCTAssertEqual(harness.state.selected, 1)
        await harness.press(.down, .char("k"))
        XCTAssertEqual(harness.state.selected, 1)
        await harness.press(.char("G"))
        XCTAssertEqual(harness.state.selected, harness.state.visible.count - 1)
        await harness.press(.char("g"))
        XCTAssertEqual(harness.state.selected, 0)
        await harness.press(.up)
        XCTAssertEqual(harness.state.selected, 0, "moving above the first row stays there")
        await harness.press(.pageDown)
        XCTAssertEqual(harness.state.selected, harness.state.visible.count - 1, "a page is longer than this short list")
    }

    func testTabAndNumberKeysFocusPanes() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.tab)
        XCTAssertEqual(harness.state.focus, .detail)
        await harness.press(.tab)
        XCTAssertEqual(harness.state.focus, .deployments)
        await harness.press(.backTab)
        XCTAssertEqual(harness.state.focus, .detail)
        await harness.press(.char("2"))
        XCTAssertEqual(harness.state.focus, .backend)
        await harness.press(.char("3"), .enter)
        XCTAssertEqual(harness.state.focus, .detail, "Enter opens the entry's detail")
        await harness.press(.escape)
        XCTAssertEqual(harness.state.focus, .list, "Esc goes back")
    }

    func testEnterOnAnotherDeploymentSwitchesToItAndDropsTheOldList() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("1"), .char("j"), .enter)
        XCTAssertEqual(harness.loads, ["local", "prod"])
        XCTAssertEqual(harness.state.activeDeployment, 1)
        XCTAssertEqual(harness.state.entries.map(\.key), [.variable("region")])
        XCTAssertEqual(harness.state.focus, .list)
    }

    func testReloadingKeepsTheCursorOnTheSameEntry() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("G"))
        let selected = harness.state.selectedEntry?.key
        XCTAssertNotEqual(selected, harness.state.entries.first?.key)
        await harness.press(.char("R"))
        XCTAssertEqual(harness.loads, ["local", "local"])
        XCTAssertEqual(harness.state.selectedEntry?.key, selected)
    }

    func testResultsOfAnEarlierLoadAreIgnored() async {
        let harness = Sample.harness()
        await harness.start()
        let oldGeneration = harness.state.generation
        await harness.press(.char("R"))
        XCTAssertEqual(harness.state.generation, oldGeneration + 1)
        let stale = Resolver(chain: [.env]).resolveAll([:])
        let before = harness.state.entries.count
        await harness.send(.resolved(generation: oldGeneration, sequence: 999, entries: stale.map(Entry.init)))
        XCTAssertEqual(harness.state.entries.count, before)
    }

    func testOlderResolutionsNeverReplaceNewerOnes() async {
        let harness = Sample.harness()
        await harness.start()
        let count = harness.state.entries.count
        await harness.send(.resolved(generation: harness.state.generation, sequence: 1, entries: []))
        XCTAssertEqual(harness.state.entries.count, count)
    }

    func testAFailingTierIsReportedAndTheOthersStillResolve() async {
        let harness = Sample.harness(initial: "prod")
        await harness.start()
        XCTAssertEqual(harness.state.entries.first?.resolution.winner, .env)
        XCTAssertEqual(harness.state.message?.level, .error)
        XCTAssertTrue(harness.state.message?.text.contains("refused the credentials") == true)
    }

    func testTypingAFilterNarrowsTheListAndEscapeClearsIt() async {
        let harness = Sample.harness()
        await harness.start()
        let all = harness.state.visible.count
        await harness.press(.char("/"))
        XCTAssertEqual(harness.state.mode, .filter)
        await harness.type("post")
        XCTAssertEqual(harness.state.visible.map { harness.state.entries[$0].key }, [.connection("my_postgres")])
        await harness.press(.backspace, .backspace, .backspace, .backspace)
        XCTAssertEqual(harness.state.visible.count, all)
        await harness.type("REG")
        XCTAssertEqual(harness.state.visible.count, 1, "matching ignores case")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertEqual(harness.state.filter, "REG", "Enter keeps the filter")
        await harness.press(.escape)
        XCTAssertEqual(harness.state.filter, "")
        XCTAssertEqual(harness.state.visible.count, all)
    }

    func testFilterTokensSelectByTierAndMarker() async {
        let harness = Sample.harness()
        await harness.start()
        func keys(_ filter: String) async -> [String] {
            await harness.press(.char("/"))
            await harness.press(.ctrl("u"))
            await harness.type(filter)
            await harness.press(.enter)
            return harness.state.visible.map { harness.state.entries[$0].key.description }
        }
        let fromEnv = await keys("@env")
        XCTAssertEqual(fromEnv, ["var:MY_VAR", "var:bad\u{1b}[2Jid\u{202e}", "var:my_var"],
                       "AIRFLOW_VAR_MY_VAR answers for both MY_VAR and my_var")
        let differing = await keys("@differs")
        XCTAssertEqual(differing, ["conn:my_postgres", "var:MY_VAR", "var:my_var", "var:region"])
        let unreadable = await keys("@unreadable")
        XCTAssertEqual(unreadable, ["conn:locked_conn"])
        let collisions = await keys("@collision")
        XCTAssertEqual(collisions, ["var:MY_VAR", "var:my_var"])
        let variablesFromBackend = await keys("var: @backend")
        XCTAssertEqual(variablesFromBackend, ["var:region", "var:数据库密码", "var:🚀_launch"])
        let cjk = await keys("数据")
        XCTAssertEqual(cjk, ["var:数据库密码"])
    }

    func testRevealShowsTheFocusedValueUntilItExpiresOrTheCursorMoves() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("j"))
        let key = harness.state.selectedEntry!.key
        XCTAssertFalse(harness.state.isRevealed(key))
        await harness.press(.char("x"))
        XCTAssertTrue(harness.state.isRevealed(key))
        await harness.send(.tick(now: harness.state.revealSeconds + 0.5))
        XCTAssertFalse(harness.state.isRevealed(key), "masks again by itself")
        XCTAssertNil(harness.state.revealed)
        await harness.press(.char("x"))
        XCTAssertTrue(harness.state.isRevealed(key))
        await harness.press(.char("j"))
        XCTAssertNil(harness.state.revealed, "moving the cursor masks the value again")
        await harness.press(.char("k"), .char("x"), .char("x"))
        XCTAssertFalse(harness.state.isRevealed(key), "x toggles")
    }

    func testCopyOffersTheFormsOfTheValueAndPutsTheChosenOneOnTheClipboard() async {
        let formats = ConnectionFormats(uri: { c, _ in "\(c.connType ?? "")://\(c.host ?? "")" }, json: { _, _ in "{}" })
        let harness = Harness(deployments: [Sample.local], factory: Sample.Factory(), formats: formats)
        await harness.start()
        XCTAssertEqual(harness.state.selectedEntry?.key, .connection("my_postgres"))
        await harness.press(.char("y"))
        XCTAssertEqual(harness.state.mode, .copyMenu)
        XCTAssertEqual(AppReducer.copyChoices(for: harness.state.selectedEntry!).map(\.key), ["u", "j", "e", "v"])
        await harness.press(.char("e"))
        XCTAssertEqual(harness.state.mode, .normal)
        XCTAssertEqual(harness.copied.map(\.text), ["AIRFLOW_CONN_MY_POSTGRES='postgres://db.internal'"])
        XCTAssertEqual(harness.copied.map(\.what), ["AIRFLOW_CONN_… line of conn:my_postgres"])
        XCTAssertTrue(harness.state.message?.text.contains("copied") == true)

        await harness.press(.char("/"))
        await harness.type("region")
        await harness.press(.enter, .char("y"))
        XCTAssertEqual(AppReducer.copyChoices(for: harness.state.selectedEntry!).map(\.key), ["v", "e"])
        await harness.press(.char("v"))
        XCTAssertEqual(harness.copied.last?.text, "eu-west-1")
        await harness.press(.char("y"), .escape)
        XCTAssertEqual(harness.copied.count, 2, "Esc copies nothing")
    }

    func testCopyingAConnectionAsURIWithoutACodecSaysSo() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("y"), .char("u"))
        XCTAssertTrue(harness.copied.isEmpty)
        XCTAssertEqual(harness.state.message?.level, .warning)
    }

    func testShellQuotingSurvivesSingleQuotes() {
        XCTAssertEqual(AppReducer.shellQuoted("it's"), "'it'\\''s'")
    }

    func testTheCommandLineSwitchesDeploymentsThemesAndQuits() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("deployment pr")
        await harness.press(.enter)
        XCTAssertEqual(harness.loads, ["local", "prod"], "a unique prefix is enough")
        await harness.press(.char(":"))
        await harness.type("deployment nowhere")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.message?.level, .error)
        XCTAssertTrue(harness.state.message?.text.contains("local, prod") == true)
        await harness.press(.char(":"))
        await harness.type("theme light")
        await harness.press(.enter)
        XCTAssertEqual(harness.themes, ["light"])
        XCTAssertEqual(harness.state.themeName, "light")
        await harness.press(.char(":"))
        await harness.type("bogus")
        await harness.press(.enter)
        XCTAssertTrue(harness.state.message?.text.contains("unknown command 'bogus'") == true)
        XCTAssertFalse(harness.quitRequested)
        await harness.press(.char(":"), .char("q"), .enter)
        XCTAssertTrue(harness.quitRequested)
    }

    func testQQuitsButTypesIntoTheFilter() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("/"), .char("q"))
        XCTAssertFalse(harness.quitRequested)
        XCTAssertEqual(harness.state.filter, "q")
        await harness.press(.escape, .char("q"))
        XCTAssertTrue(harness.quitRequested)
    }

    func testEditOpensTheEditorAndCompareOpensTheComparison() async {
        let harness = Sample.harness()
        await harness.start()
        XCTAssertEqual(harness.state.keyMap.command(for: .char("e")), .edit)
        XCTAssertEqual(harness.state.keyMap.command(for: .char("c")), .compare)
        await harness.press(.char("e"))
        XCTAssertEqual(harness.state.mode, .editor, "e opens the editor (Editing/EditorReducerTests)")
        await harness.press(.escape, .char("c"))
        XCTAssertEqual(harness.state.mode, .compare, "c opens the comparison (CompareReducerTests)")
        await harness.press(.escape)
        await harness.send(.tick(now: 100))
        XCTAssertNil(harness.state.message, "messages go away by themselves")
    }

    func testHelpListsEveryBindingOfTheKeyMap() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("?"))
        XCTAssertEqual(harness.state.mode, .help)
        let text = HelpContent.lines(harness.state.keyMap).map(\.plainText).joined(separator: "\n")
        for binding in harness.state.keyMap.bindings {
            XCTAssertTrue(text.contains(binding.help), "help misses \(binding.command)")
            XCTAssertTrue(text.contains(binding.keyLabel), "help misses the keys of \(binding.command)")
        }
        await harness.press(.char("j"))
        XCTAssertEqual(harness.state.helpScroll, 1)
        await harness.press(.escape)
        XCTAssertEqual(harness.state.mode, .normal)
    }

    func testEveryCommandHasABinding() {
        let bound = Set(KeyMap.standard.bindings.map(\.command))
        XCTAssertEqual(bound, Set(Command.allCases))
    }

    func testResizingKeepsTheSelectionOnScreen() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("G"))
        await harness.send(.resized(Size(columns: 60, rows: 14)))
        let rows = Layout(harness.state.size)!.listRows
        XCTAssertTrue(harness.state.listScroll <= harness.state.selected)
        XCTAssertTrue(harness.state.selected < harness.state.listScroll + rows)
    }
}
