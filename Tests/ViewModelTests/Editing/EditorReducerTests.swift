import Editing
import Engine
import TestSupport
import XCTest
@testable import ViewModel

/// The editor: the form, the URI and JSON kept in step with it, Airflow's own errors inline,
/// masked secrets that keep their stored values, the tier picker and $EDITOR.
final class EditorReducerTests: XCTestCase {
    func testEOpensTheFormOnTheWinningTiersValueWithThePasswordMasked() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        let editor = try XCTUnwrap(harness.state.editor)
        XCTAssertEqual(harness.state.mode, .editor)
        XCTAssertEqual(editor.target, .backend, "the winner's tier is the default target")
        XCTAssertEqual(editor.focusedRow, .uri)
        XCTAssertEqual(editor.connection?.connection.host, "db.internal")
        XCTAssertFalse(harness.screenText.contains(EditingSample.backendPassword), "the password is masked")
        XCTAssertFalse(harness.screenText.contains("tok-123"), "sensitive extra values are masked")
        XCTAssertTrue(harness.screenText.contains("postgres://etl:••••••••@db.internal:5432/analytics"))
        await harness.press(.char("x"))
        XCTAssertTrue(harness.screenText.contains(EditingSample.backendPassword), "x reveals")
    }

    func testTypingAURIFillsTheFieldsAndKeepsTheMaskedPassword() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"), .enter)
        XCTAssertNotNil(harness.state.editor?.typing)
        // The line starts as the masked URI; change only the host.
        let start = try XCTUnwrap(harness.state.editor?.typing?.text)
        XCTAssertTrue(start.contains("••••••••"))
        await harness.press(.ctrl("u"))
        await harness.type(start.replacing("db.internal", with: "db2.internal"))
        let live = try XCTUnwrap(harness.state.editor?.connection?.connection)
        XCTAssertEqual(live.host, "db2.internal", "the fields follow the URI as it is typed")
        XCTAssertEqual(live.password, EditingSample.backendPassword, "the mask stands for the stored password")
        XCTAssertFalse(live.extra?.contains("••••") ?? false, "the masked extra keeps its stored value")
        await harness.press(.enter)
        XCTAssertNil(harness.state.editor?.typing)
        XCTAssertTrue(harness.state.editor?.dirty ?? false)
    }

    func testEditingAFieldRegeneratesTheURIAndJSON() async throws {
        let sample = EditingSample()
        let harness = sample.harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        harness.focusEditorRow(.field(.host))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("replica.internal")
        await harness.press(.enter)
        let draft = try XCTUnwrap(harness.state.editor?.connection)
        let uri = try draft.uri(revealed: false).get()
        XCTAssertTrue(uri.contains("@replica.internal:5432"), uri)
        let json = try draft.json(revealed: false).get()
        XCTAssertTrue(json.contains(#""host": "replica.internal""#), json)
        XCTAssertFalse(json.contains(EditingSample.backendPassword))
    }

    func testABadPortShowsAirflowsMessageAndKeepsTheFieldOpen() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        harness.focusEditorRow(.field(.port))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("54x")
        await harness.press(.enter)
        XCTAssertNotNil(harness.state.editor?.typing, "Enter does not keep a value Airflow rejects")
        XCTAssertEqual(harness.state.editor?.error, "ValueError: Expected integer value for `port`, but got '54x' instead.")
        XCTAssertEqual(harness.state.editor?.connection?.connection.port, 5432, "the value stays as it was")
        await harness.press(.escape)
        XCTAssertNil(harness.state.editor?.typing)
        XCTAssertNil(harness.state.editor?.error)
    }

    func testTooManySchemeSeparatorsInTheURIIsAirflowsInvalidConnectionString() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"), .enter, .ctrl("u"))
        await harness.type("postgres://a://b://c")
        XCTAssertEqual(harness.state.editor?.error, "AirflowException: Invalid connection string.")
        XCTAssertEqual(harness.state.editor?.connection?.connection.host, "db.internal", "the fields keep the last good value")
    }

    func testAnExtraThatIsNotAnObjectIsRefusedOnAirflow3() async throws {
        let harness = EditingSample(version: .v3).harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        harness.focusEditorRow(.field(.extra))
        await harness.press(.enter, .ctrl("u"))
        await harness.type("[1, 2]")
        XCTAssertEqual(harness.state.editor?.error?.hasPrefix("ValueError: Encountered JSON value in `extra` which does not parse as a dictionary"), true,
                       harness.state.editor?.error ?? "no error")
    }

    func testAnUntouchedPasswordFieldKeepsTheStoredPassword() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        harness.focusEditorRow(.field(.password))
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.typing?.text, "", "a masked password is typed afresh, never shown")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.connection?.connection.password, EditingSample.backendPassword)
        XCTAssertFalse(harness.state.editor?.dirty ?? true)
        await harness.press(.enter)
        await harness.type("new-secret")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.connection?.connection.password, "new-secret")
    }

    func testAPastedURIReplacesTheURILine() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"))
        await harness.send(.pasted("mysql://root:pw@mysql.internal:3306/shop\n"))
        let connection = try XCTUnwrap(harness.state.editor?.connection?.connection)
        XCTAssertEqual(connection.connType, "mysql")
        XCTAssertEqual(connection.host, "mysql.internal")
        XCTAssertEqual(connection.port, 3306)
        XCTAssertEqual(connection.password, "pw")
    }

    func testVariableJSONIsValidatedWhenTheValueLooksLikeJSON() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.variable("feature_flags"))
        await harness.press(.char("e"))
        XCTAssertEqual(harness.state.editor?.target, .env)
        guard case .success(let ok)? = harness.state.editor?.variable?.jsonCheck else { return XCTFail("valid JSON") }
        XCTAssertEqual(ok, "valid JSON object, 1 key")
        // The value is masked until revealed; editing it in place needs it shown.
        await harness.press(.char("x"))
        await harness.press(.enter, .end)
        await harness.press(.backspace)
        await harness.type(",")
        guard case .failure(let error)? = harness.state.editor?.variable?.jsonCheck else { return XCTFail("invalid JSON") }
        XCTAssertEqual(error.className, "JSONDecodeError")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.variable?.text, "{\"new_ui\": true,\n", "Enter adds a line in a variable's value")
    }

    func testAVariableValueIsMaskedInTheEditorUntilRevealedWhateverItsName() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.select(.variable("region"))
        await harness.press(.char("e"))
        XCTAssertEqual(harness.state.mode, .editor)
        XCTAssertEqual(harness.state.editor?.variable?.text, "eu-west-1", "the stored value is kept behind the mask")
        XCTAssertFalse(harness.screenText.contains("eu-west-1"), "a plainly named variable is masked too")
        XCTAssertTrue(harness.screenText.contains("(x reveals)"))
        // Starting to type over a masked value starts from nothing, never from the value.
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.typing?.text, "")
        XCTAssertFalse(harness.screenText.contains("eu-west-1"))
        await harness.press(.escape)
        await harness.press(.char("x"))
        XCTAssertTrue(harness.screenText.contains("eu-west-1"), "x reveals")
    }

    func testAnErrorAboutAMaskedPasswordNeverQuotesItUntilRevealed() {
        var connection = Connection()
        connection.connType = "postgres"
        connection.password = "pa[zq9hidden]ss"
        var editor = EditorState(key: .connection("db"), isNew: false, value: .connection(ConnectionDraft(connection, dialect: .core)),
                                 target: .env, startedFrom: "env", version: .v3, context: .server, hasWorkersBackend: false)
        let error = AirflowError("ValueError", "'zq9hidden' does not appear to be an IPv4 or IPv6 address")
        let shown = AppReducer.shownError(error, editor: editor, connection: connection)
        XCTAssertFalse(shown.contains("zq9hidden"), shown)
        XCTAssertTrue(shown.hasPrefix("ValueError: '***' does not appear"), shown)
        let typed = AppReducer.shownError(AirflowError("ValueError", "bad 'n3wpass'"), editor: editor,
                                          connection: connection, typedSecret: "x-n3wpass-y")
        XCTAssertFalse(typed.contains("n3wpass"), typed)
        editor.revealed = true
        XCTAssertEqual(AppReducer.shownError(error, editor: editor, connection: connection), error.description)
    }

    func testThePickerListsUnavailableTiersWithTheirReasonAndWillNotPickThem() async throws {
        let sample = EditingSample()
        sample.extraUnavailable = TierWriterSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore"),
                                                 reason: "no metastore URL given")
        let harness = sample.harness()
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"), .char("t"))
        XCTAssertEqual(harness.state.editor?.picker, 0)
        await harness.press(.char("j"), .char("j"), .enter)
        XCTAssertEqual(harness.state.editor?.target, .backend, "an unavailable tier cannot be picked")
        XCTAssertTrue(harness.state.message?.text.contains("no metastore URL given") == true)
        await harness.press(.char("k"), .enter)
        XCTAssertEqual(harness.state.editor?.target, .env)
        XCTAssertNil(harness.state.editor?.picker)
        XCTAssertEqual(harness.state.editor?.connection?.connection.host, "localhost",
                       "an untouched form starts again from the value of the tier picked")
    }

    func testExternalEditorReadsTheURIBack() async throws {
        let harness = EditingSample().harness()
        harness.externalEditor = { text in text.replacing("db.internal", with: "edited.internal") }
        await harness.start()
        await harness.select(.connection("my_postgres"))
        await harness.press(.char("e"), .char("E"))
        let opened = try XCTUnwrap(harness.externalEdits.first)
        XCTAssertEqual(opened.suffix, ".uri")
        XCTAssertFalse(opened.text.contains(EditingSample.backendPassword), "the file holds the masked URI unless revealed")
        XCTAssertEqual(harness.state.editor?.connection?.connection.host, "edited.internal")
        XCTAssertEqual(harness.state.editor?.connection?.connection.password, EditingSample.backendPassword)
    }

    func testNewEntriesFromTheCommandLine() async throws {
        let harness = EditingSample().harness()
        await harness.start()
        await harness.press(.char("n"))
        XCTAssertEqual(harness.state.mode, .command)
        await harness.type("conn warehouse")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.key, .connection("warehouse"))
        XCTAssertEqual(harness.state.editor?.isNew, true)
        XCTAssertEqual(harness.state.editor?.connection?.connection, Connection())
        await harness.press(.escape)
        await harness.press(.char(":"))
        await harness.type("new var 数据库")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.editor?.key, .variable("数据库"))
    }
}
