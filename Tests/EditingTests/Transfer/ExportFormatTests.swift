import Engine
import Foundation
import Testing
@testable import Editing

/// Strata's export writes what Airflow's import reads back unchanged: each file is checked by
/// reading it as Airflow's import does, and what a format cannot hold is left out or noted.
@Suite("Export formats")
struct ExportFormatTests {
    static func text(_ output: ExportOutput) -> String { String(decoding: output.data, as: UTF8.self) }

    /// What reading `output` back as Airflow's import gives, by key.
    static func readBack(_ output: ExportOutput, _ format: TransferFormat, _ kinds: Set<SecretKind>) throws -> [SecretKey: EditValue] {
        let file = try ImportReader.parse(text: text(output), format: format, kinds: kinds, path: "export.\(format.fileExtension)")
        #expect(file.items.problems.isEmpty, "every entry written reads back")
        return Dictionary(file.items.items.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    @Test(arguments: [TransferFormat.json, .yaml])
    func jsonAndYAMLKeepEveryVariableExactlyWithItsDescription(format: TransferFormat) throws {
        let output = try ExportWriter.write(TransferSamples.items, format: format, kinds: [.variable])
        #expect(output.skipped.isEmpty)
        #expect(output.notes.isEmpty)
        #expect(output.written == TransferSamples.variables.map { SecretKey.variable($0.0) })
        let got = try Self.readBack(output, format, [.variable])
        for (id, text, description) in TransferSamples.variables {
            #expect(got[.variable(id)].map { TransferSamples.differingFields($0, .variable(text, description: description)) } == [],
                    "variable \(id) reads back exactly")
        }
    }

    @Test(arguments: [TransferFormat.json, .yaml])
    func jsonAndYAMLKeepEveryConnectionFieldButAnEmptyPassword(format: TransferFormat) throws {
        let output = try ExportWriter.write(TransferSamples.items, format: format, kinds: [.connection])
        // The metastore's conn_type is NOT NULL: Airflow's import would stop at this one.
        #expect(output.skipped.map(\.key) == [.connection("no_type")])
        #expect(output.skipped.first?.reason.contains("conn_type") == true)
        #expect(output.written.count == TransferSamples.connections.count - 1)
        // Airflow's password setter stores nothing for "": the one loss, and it is reported.
        #expect(output.notes.map(\.key) == [.connection("empty_fields")])
        #expect(output.notes.first?.reason.hasPrefix("password reads back as unset (empty text in the source)") == true)
        let got = try Self.readBack(output, format, [.connection])
        for (id, connection) in TransferSamples.connections where id != "no_type" {
            let differing = got[.connection(id)].map { TransferSamples.differingFields($0, .connection(connection)) }
            #expect(differing == (id == "empty_fields" ? ["password"] : []), "connection \(id) reads back exactly")
        }
    }

    @Test func aJSONLookingVariableIsWrittenAsAStringNotReSerialised() throws {
        let items = CopyItems(items: [CopyItem(key: .variable("j"), value: .variable(#"{"b":2,  "a":[1]}"#, description: nil), origin: "t")])
        let json = Self.text(try ExportWriter.write(items, format: .json, kinds: [.variable]))
        #expect(json == "{\n    \"j\": \"{\\\"b\\\":2,  \\\"a\\\":[1]}\"\n}\n")
        let yaml = Self.text(try ExportWriter.write(items, format: .yaml, kinds: [.variable]))
        #expect(yaml == "j: '{\"b\":2,  \"a\":[1]}'\n")
    }

    @Test func aConnectionIsWrittenInTheShapeAirflowExports() throws {
        let items = CopyItems(items: [CopyItem(key: .connection("c"), value: .connection(
            Connection(connType: "postgres", host: "h", login: "", password: "p", port: 5432, extra: #"{"a": 1}"#)), origin: "t")])
        let json = Self.text(try ExportWriter.write(items, format: .json, kinds: [.connection]))
        #expect(json == """
        {
          "c": {
            "conn_type": "postgres",
            "description": null,
            "login": "",
            "password": "p",
            "host": "h",
            "port": 5432,
            "schema": null,
            "extra": "{\\"a\\": 1}"
          }
        }

        """)
    }

    @Test func envVariablesLeaveOutWhatALineCannotHoldAndNoteLostDescriptions() throws {
        let output = try ExportWriter.write(TransferSamples.items, format: .env, kinds: [.variable])
        #expect(Set(output.skipped.map(\.key.id)) == ["empty", "unicode_nl"])
        #expect(output.skipped.allSatisfy { $0.reason.contains("--format json or yaml") })
        #expect(Set(output.notes.map(\.key.id)) == ["described", "empty_desc", "tab\tkey"])
        #expect(Self.text(output).contains("\nenv_chars=a=b#c # not a comment\n"))
        let got = try Self.readBack(output, .env, [.variable])
        for (id, text, _) in TransferSamples.variables where output.written.contains(.variable(id)) {
            #expect(got[.variable(id)] == .variable(text, description: nil), "variable \(id) reads back exactly")
        }
    }

    @Test func envConnectionsAreURIsThatReadBackOrAreLeftOutWithAReason() throws {
        let output = try ExportWriter.write(TransferSamples.items, format: .env, kinds: [.connection])
        let got = try Self.readBack(output, .env, [.connection])
        // Every sample fits a URI but for what Airflow treats alike (unset or empty) and the description.
        #expect(output.written.count == TransferSamples.connections.count)
        #expect(output.skipped.isEmpty)
        #expect(Self.text(output).hasPrefix("pg_full=postgres://user:p%40ss%3Aw%2Frd%3F%23@db.example.com:5432/analytics?__extra__=%7B%22b%22%3A+1%2C++"),
                "extra with odd spacing survives as __extra__")
        for key in output.written {
            let noted = Set(output.notes.filter { $0.key == key }.flatMap { note in
                Connection.fieldNames.filter { note.reason.contains($0) }
            })
            let differing = got[key].flatMap { value in TransferSamples.value(of: key).map { TransferSamples.differingFields($0, value) } }
            #expect(differing.map { Set($0).isSubset(of: noted) } == true, "\(key.id): every difference is noted")
        }
        #expect(output.notes.contains { $0.key == .connection("pg_full") && $0.reason.contains("description") })
        #expect(output.skipped.allSatisfy { $0.reason.contains("--format json or yaml") })
    }

    @Test func aConnectionAURIWouldChangeIsLeftOutOfAnEnvFileButKeptInJSON() throws {
        let items = CopyItems(items: [
            CopyItem(key: .connection("zero_port"), value: .connection(Connection(connType: "http", host: "h", port: 0)), origin: "t"),
            CopyItem(key: .connection("fine"), value: .connection(Connection(connType: "http", host: "h", schema: "s")), origin: "t"),
        ])
        let env = try ExportWriter.write(items, format: .env, kinds: [.connection])
        #expect(env.written == [.connection("fine")])
        #expect(env.skipped.map(\.key) == [.connection("zero_port")])
        #expect(env.skipped.first?.reason.contains("port would read back differently; use --format json or yaml") == true)
        #expect(Self.text(env) == "fine=http://h/s\n")
        let json = try ExportWriter.write(items, format: .json, kinds: [.connection])
        #expect(json.written.count == 2 && json.skipped.isEmpty)
    }

    @Test func astroHoldsBothKindsAndLeavesOutWhatAstroCannotLoad() throws {
        let output = try ExportWriter.write(TransferSamples.items, format: .astro, kinds: [.connection, .variable])
        let text = Self.text(output)
        #expect(text.hasPrefix("airflow:\n  connections:\n    - conn_id: pg_full\n"))
        #expect(text.contains("\n  pools: []\n  variables:\n"))
        // The Astro CLI skips an entry without a value, and one without a conn_type.
        #expect(output.skipped.map(\.key).contains(.variable("empty")))
        #expect(output.skipped.map(\.key).contains(.connection("no_type")))
        let got = try Self.readBack(output, .astro, [.connection, .variable])
        for key in output.written {
            let noted = output.notes.filter { $0.key == key }.map(\.reason).joined()
            let differing = got[key].flatMap { value in TransferSamples.value(of: key).map { TransferSamples.differingFields($0, value) } } ?? ["missing"]
            #expect(differing.allSatisfy { noted.contains($0) }, "\(key.id): every difference is noted")
        }
    }

    @Test func forAirflow2VariablesAreJSONStringsWithoutDescriptions() throws {
        let output = try ExportWriter.write(TransferSamples.items, format: .json, kinds: [.variable], airflow: .v2)
        #expect(output.written.count == TransferSamples.variables.count)
        #expect(Set(output.notes.map(\.key.id)) == ["described", "empty_desc", "tab\tkey"])
        #expect(!Self.text(output).contains("\"description\""), "Airflow 2 would store the object as the value")
        let read = try ImportReader.parse(text: Self.text(output), format: .json, kinds: [.variable], path: "v.json", airflow: .v2)
        #expect(read.items.items.map(\.key) == output.written)
        for format in [TransferFormat.yaml, .env] {
            #expect(throws: TransferError.self) { try ExportWriter.write(TransferSamples.items, format: format, kinds: [.variable], airflow: .v2) }
        }
        // Airflow 2 reads a description object as a value: the text of the whole object.
        let object = try ImportReader.parse(text: #"{"v": {"value": "x", "description": "d"}}"#, format: .json, kinds: [.variable],
                                            path: "v.json", airflow: .v2)
        #expect(object.items.items.first?.value == .variable("{\n  \"value\": \"x\",\n  \"description\": \"d\"\n}", description: nil))
    }

    @Test func anAirflowFileHoldsOneKindAndTheRequestMustSayWhich() {
        for format in [TransferFormat.json, .yaml, .env] {
            #expect(throws: TransferError.self) { try ExportWriter.write(TransferSamples.items, format: format, kinds: [.connection, .variable]) }
        }
        #expect(throws: TransferError.self) { try ExportWriter.write(TransferSamples.items, format: .astro, kinds: []) }
    }

    @Test func hiddenFieldsAndUnreadableSourceKeysAreLeftOutWithTheirReasons() throws {
        let items = CopyItems(
            items: [CopyItem(key: .connection("api"), value: .connection(Connection(connType: "http", password: "***")),
                             hidden: HiddenFields([["password"]]), origin: "api"),
                    CopyItem(key: .connection("ok"), value: .connection(Connection(connType: "http")), origin: "api")],
            problems: [CopyProblem(key: .connection("broken"), reason: "cannot be decrypted"),
                       CopyProblem(key: .variable("other_kind"), reason: "not asked for")])
        let output = try ExportWriter.write(items, format: .json, kinds: [.connection])
        #expect(output.written == [.connection("ok")])
        #expect(output.skipped.map(\.key) == [.connection("broken"), .connection("api")])
        #expect(output.skipped[0].reason.contains("cannot be decrypted"))
        #expect(output.skipped[1].reason.contains("password"))
    }

    @Test func anEmptyExportIsAFileAirflowStillReads() throws {
        for format in [TransferFormat.json, .yaml, .env] {
            let output = try ExportWriter.write(CopyItems(), format: format, kinds: [.variable])
            #expect(try Self.readBack(output, format, [.variable]).isEmpty)
        }
    }

    @Test func noReasonEverQuotesAValue() throws {
        let secrets = ["p@ss:w/rd?#", "пароль#=?&", "line1\nline2 ✓ 🚀", #"{"b":2,  "a":[1]}"#]
        for format in TransferFormat.allCases {
            for kinds in format.holdsBothKinds ? [Set([SecretKind.connection, .variable])] : [[.connection], [.variable]] {
                let output = try ExportWriter.write(TransferSamples.items, format: format, kinds: kinds)
                for reason in (output.skipped + output.notes).map(\.reason) {
                    #expect(!secrets.contains { reason.contains($0) }, "a reason of the \(format.rawValue) export quotes a value")
                }
            }
        }
    }
}
