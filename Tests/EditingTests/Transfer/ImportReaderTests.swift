import Engine
import Foundation
import TestSupport
import Testing
@testable import Editing

/// Strata reads an export file as Airflow's import reads it, field for field, and turns an
/// entry Airflow would refuse into a problem without losing the others.
@Suite("Import reader")
struct ImportReaderTests {
    static func read(_ text: String, _ name: String, _ kinds: Set<SecretKind>, format: TransferFormat? = nil) throws -> ImportedFile {
        let dir = try TemporaryDirectory("strata-import")
        defer { dir.remove() }
        return try ImportReader.readFile(try dir.write(name, text), format: format, kinds: kinds)
    }

    static func value(_ file: ImportedFile, _ key: SecretKey) -> EditValue? {
        file.items.items.first { $0.key == key }?.value
    }

    @Test func anAirflowConnectionsExportKeepsNullsEmptyTextsPortAndExtraAsWritten() throws {
        let text = """
        {
          "c1": {
            "conn_type": "postgres",
            "description": null,
            "login": "",
            "password": "p@ss",
            "host": "h",
            "port": 5432,
            "schema": "s",
            "extra": "{\\"b\\": 1,  \\"a\\": [1]}"
          }
        }
        """
        let file = try Self.read(text, "conns.json", [.connection])
        #expect(file.format == .json)
        #expect(Self.value(file, .connection("c1")) == .connection(Connection(
            connType: "postgres", host: "h", login: "", password: "p@ss", schema: "s", port: 5432, extra: #"{"b": 1,  "a": [1]}"#)))
        #expect(file.items.items.first?.origin == "conns.json")
    }

    @Test func variablesImportStoresNonStringValuesAsIndentedJSONAndReadsDescriptions() throws {
        let text = #"{"n": 5, "o": {"b": 1, "a": [1, 2.5, null, true]}, "d": {"value": {"k": "é"}, "description": "x"}, "s": "", "e": {"value": "", "description": null}, "l": []}"#
        let file = try Self.read(text, "vars.json", [.variable])
        #expect(Self.value(file, .variable("n")) == .variable("5", description: nil))
        #expect(Self.value(file, .variable("o")) == .variable("{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2.5,\n    null,\n    true\n  ]\n}", description: nil))
        #expect(Self.value(file, .variable("d")) == .variable("{\n  \"k\": \"\\u00e9\"\n}", description: "x"))
        #expect(Self.value(file, .variable("s")) == .variable("", description: nil))
        #expect(Self.value(file, .variable("e")) == .variable("", description: nil))
        #expect(Self.value(file, .variable("l")) == .variable("[]", description: nil))
    }

    @Test func yamlVariablesKeepPythonTypesAndAValueJSONCannotHoldIsAProblem() throws {
        let text = "flag: yes\nnum: 007\nwhen: 2024-01-02\nquoted: '007'\nnothing:\n"
        let file = try Self.read(text, "vars.yaml", [.variable])
        #expect(Self.value(file, .variable("flag")) == .variable("true", description: nil))
        #expect(Self.value(file, .variable("num")) == .variable("7", description: nil))
        #expect(Self.value(file, .variable("quoted")) == .variable("007", description: nil))
        #expect(Self.value(file, .variable("nothing")) == .variable("null", description: nil))
        #expect(file.items.problems.map(\.key) == [.variable("when")])
        #expect(file.items.problems.first?.reason.contains("2024") == false, "the reason never quotes the value")
    }

    @Test func anEnvLineHoldingJSONIsReadAsTheConnectionItMeansWithANote() throws {
        let text = #"c1={"conn_type": "postgres", "description": "d", "login": "", "password": "p@ss", "host": "h", "port": 5432, "schema": "s", "extra": "{\"b\": 1}"}"#
            + "\nc2=mysql://u:pw@host:3306/db\n"
        let file = try Self.read(text, "conns.env", [.connection])
        #expect(Self.value(file, .connection("c1")) == .connection(Connection(
            connType: "postgres", host: "h", login: "", password: "p@ss", schema: "s", port: 5432, extra: #"{"b": 1}"#, description: "d")))
        #expect(Self.value(file, .connection("c2")) == .connection(Connection(
            connType: "mysql", host: "host", login: "u", password: "pw", schema: "db", port: 3306)))
        #expect(file.notes.map(\.key) == [.connection("c1")])
    }

    @Test func anEnvFileOfAirflowEnvironmentVariablesIsReadAsAirflowsEnvironmentBackendReadsIt() throws {
        // What `astro dev object export --env-export` writes: both kinds, dotenv quoting.
        let text = """
        AIRFLOW_CONN_MY_DB=postgres://u:p%40ss@h:5432/db
        AIRFLOW_CONN_API='{"conn_type": "http", "host": "api.example", "description": "d"}'
        AIRFLOW_VAR_REGION=eu-west-1
        AIRFLOW_VAR_JSON_LIKE='{"b":2,  "a":[1]}'

        """
        let file = try Self.read(text, ".env-export.env", [.connection, .variable])
        #expect(Self.value(file, .connection("my_db")) == .connection(Connection(
            connType: "postgres", host: "h", login: "u", password: "p@ss", schema: "db", port: 5432)))
        #expect(Self.value(file, .connection("api")) == .connection(Connection(connType: "http", host: "api.example", description: "d")))
        #expect(Self.value(file, .variable("region")) == .variable("eu-west-1", description: nil))
        #expect(Self.value(file, .variable("json_like")) == .variable(#"{"b":2,  "a":[1]}"#, description: nil))
        #expect(file.items.problems.isEmpty)
        let onlyVariables = try Self.read(text, "vars.env", [.variable])
        #expect(onlyVariables.items.items.map(\.key) == [.variable("json_like"), .variable("region")])
        // An Airflow secret file still needs the kind said.
        #expect(throws: TransferError.self) { try Self.read("my_db=postgres://h\n", "conns.env", [.connection, .variable]) }
    }

    @Test func anEntryAirflowRefusesIsAProblemAndTheOthersAreStillRead() throws {
        let text = """
        {"good": "http://h", "bad id": "http://h", "bad_uri": "postgres://u:secretpw@h:notaport/db",
         "illegal": {"conn_type": "http", "nope": 1}, "bad_extra": {"conn_type": "http", "extra": "[1]"},
         "untyped": {"host": "h"}}
        """
        let file = try Self.read(text, "conns.json", [.connection])
        #expect(file.items.items.map(\.key) == [.connection("good")])
        #expect(Set(file.items.problems.map(\.key.id)) == ["bad id", "bad_uri", "illegal", "bad_extra", "untyped"])
        #expect(file.items.problems.allSatisfy { !$0.reason.contains("secretpw") })
    }

    @Test func astroSettingsAreReadAsAstroDevStartLoadsThem() throws {
        let text = """
        airflow:
          connections:
            - conn_id: pg
              conn_type: postgres
              conn_host: h
              conn_port: 5432
              conn_extra:
                sslmode: require
          pools: []
          variables:
            - variable_name: v
              variable_value: "007"
        """
        let file = try Self.read(text, "airflow_settings.yaml", [.connection, .variable])
        #expect(file.format == .astro)
        #expect(Self.value(file, .variable("v")) == .variable("007", description: nil))
        #expect(Self.value(file, .connection("pg")) == .connection(Connection(
            connType: "postgres", host: "h", port: 5432, extra: #"{"sslmode": "require"}"#)))
        let onlyVariables = try Self.read(text, "airflow_settings.yaml", [.variable])
        #expect(onlyVariables.items.items.map(\.key) == [.variable("v")])
    }

    @Test func whatIsNotARegularReadableFileOrSaysNothingOfItsFormatIsRefused() throws {
        let dir = try TemporaryDirectory("strata-import")
        defer { dir.remove() }
        #expect(throws: TransferError.self) { try ImportReader.read(file: dir.url.appendingPathComponent("missing.json"), kinds: [.variable]) }
        let folder = dir.url.appendingPathComponent("folder.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(throws: TransferError.self) { try ImportReader.read(file: folder, kinds: [.variable]) }
        let fifo = dir.url.appendingPathComponent("pipe.json")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(throws: TransferError.self) { try ImportReader.read(file: fifo, kinds: [.variable]) }
        let big = dir.url.appendingPathComponent("big.json")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(ImportReader.maximumFileSize + 1))
        try handle.close()
        #expect(throws: TransferError.self) { try ImportReader.read(file: big, kinds: [.variable]) }
        let noExtension = try dir.write("values.txt", "{}")
        #expect(throws: TransferError.self) { try ImportReader.read(file: noExtension, kinds: [.variable]) }
        #expect(try ImportReader.read(file: noExtension, format: .json, kinds: [.variable]) == CopyItems())
        let json = try dir.write("v.json", "{}")
        #expect(throws: TransferError.self) { try ImportReader.read(file: json, kinds: [.variable, .connection]) }
    }

    @Test func aSyntaxErrorRefusesTheWholeFileWithoutQuotingIt() throws {
        let dir = try TemporaryDirectory("strata-import")
        defer { dir.remove() }
        let file = try dir.write("v.json", #"{"a": "secretvalue" "#)
        do {
            _ = try ImportReader.read(file: file, kinds: [.variable])
            Issue.record("a broken file must be refused")
        } catch let error as TransferError {
            #expect(!error.message.contains("secretvalue"))
            #expect(error.message.contains("v.json"))
        }
    }
}
