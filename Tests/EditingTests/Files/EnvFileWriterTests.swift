@testable import Engine
@testable import Editing
import Foundation
import Testing
import TestSupport

/// A workspace whose deployment reads `files` (in order), loaded by the real workspace loader.
private func deployment(_ scratch: Scratch, files: [String], inlineEnv: [String: String] = [:],
                        processEnv: [String: String]? = nil) throws -> Deployment {
    var yaml = "deployments:\n  - name: dev\n    airflow: 3\n"
    if !files.isEmpty { yaml += "    env_files: [\(files.joined(separator: ", "))]\n" }
    if processEnv != nil { yaml += "    process_env: true\n" }
    if !inlineEnv.isEmpty {
        yaml += "    env:\n" + inlineEnv.map { "      \($0.key): \($0.value)\n" }.joined()
    }
    let url = try scratch.write("strata.yaml", yaml)
    return try #require(try Workspace.load(url, processEnvironment: processEnv ?? [:]).deployments.first)
}

/// What the environment tier of a freshly loaded workspace holds for `name`.
private func reloaded(_ scratch: Scratch, _ kind: SecretKind, _ name: String, files: [String]) async throws -> EntryState {
    let fresh = try deployment(scratch, files: files)
    return try await loadedState(EnvironmentTier(environment: fresh.environment, dialect: .core), kind, name)
}

private func writer(_ deployment: Deployment) -> EnvFileWriter { EnvFileWriter(deployment: deployment, dialect: .core) }

private let db = Connection(connType: "postgres", host: "db.internal", login: "app", password: "p@ss w/rd", schema: "prod", port: 5432)

@Suite struct EnvFileWriterEditsInPlace {
    @Test func replacingAVariableChangesOnlyItsLine() async throws {
        let s = try Scratch(); defer { s.remove() }
        let original = """
        # Airflow settings for dev
        AIRFLOW__CORE__LOAD_EXAMPLES=False

        export AIRFLOW_VAR_REGION=eu-west-1   # the region
        AIRFLOW_VAR_OTHER='keep me'
        # trailing comment

        """
        try s.write(".env", original)
        let w = writer(try deployment(s, files: [".env"]))
        let base = try await w.read(.variable("region"))
        #expect(base == .present(.variable("eu-west-1")))

        let receipt = try await w.apply(.set(.variable("region"), .variable("us-east-1", description: nil)), expecting: base)
        #expect(receipt.name == "AIRFLOW_VAR_REGION")
        #expect(receipt.location.hasSuffix(".env:4"))
        #expect(!receipt.created)
        #expect(receipt.notes.contains { $0.contains("restart") })
        #expect(try s.text(".env") == original.replacingOccurrences(of: "export AIRFLOW_VAR_REGION=eu-west-1   # the region",
                                                                     with: "export AIRFLOW_VAR_REGION=us-east-1"))
        #expect(try await reloaded(s, .variable, "AIRFLOW_VAR_REGION", files: [".env"]) == .present(.variable("us-east-1")))
    }

    @Test func aNewVariableIsAppendedToTheLastFile() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("base.env", "AIRFLOW_VAR_A=1\n")
        try s.write("override.env", "# overrides\nAIRFLOW_VAR_B=2") // no final newline
        let w = writer(try deployment(s, files: ["base.env", "override.env"]))
        let receipt = try await w.apply(.set(.variable("new_one"), .variable("hello world", description: nil)), expecting: .absent)
        #expect(receipt.created)
        #expect(try s.text("base.env") == "AIRFLOW_VAR_A=1\n")
        #expect(try s.text("override.env") == "# overrides\nAIRFLOW_VAR_B=2\nAIRFLOW_VAR_NEW_ONE='hello world'\n")
        #expect(try await reloaded(s, .variable, "AIRFLOW_VAR_NEW_ONE", files: ["base.env", "override.env"])
                == .present(.variable("hello world")))
    }

    @Test func theFileThatWinsIsEditedWhenSeveralSetTheVariable() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("a.env", "AIRFLOW_VAR_X=from-a\n")
        try s.write("b.env", "AIRFLOW_VAR_X=from-b\nAIRFLOW_VAR_X=from-b-again\n")
        let w = writer(try deployment(s, files: ["a.env", "b.env"]))
        let base = try await w.read(.variable("x"))
        #expect(base == .present(.variable("from-b-again")))
        _ = try await w.apply(.set(.variable("x"), .variable("new", description: nil)), expecting: base)
        #expect(try s.text("a.env") == "AIRFLOW_VAR_X=from-a\n")
        #expect(try s.text("b.env") == "AIRFLOW_VAR_X=from-b\nAIRFLOW_VAR_X=new\n")
    }

    @Test func deleteRemovesEveryLineThatSetsTheVariable() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("a.env", "# a\nAIRFLOW_VAR_X=from-a\nAIRFLOW_VAR_KEEP=1\n")
        try s.write("b.env", "AIRFLOW_VAR_X=\"multi\nline\"\n# end\n")
        let w = writer(try deployment(s, files: ["a.env", "b.env"]))
        let base = try await w.read(.variable("x"))
        #expect(base == .present(.variable("multi\nline")))
        let receipt = try await w.apply(.delete(.variable("x")), expecting: base)
        #expect(!receipt.created)
        #expect(try s.text("a.env") == "# a\nAIRFLOW_VAR_KEEP=1\n")
        #expect(try s.text("b.env") == "# end\n")
        #expect(try await reloaded(s, .variable, "AIRFLOW_VAR_X", files: ["a.env", "b.env"]) == .absent)
    }

    @Test func aMultiLineValueIsReplacedWhole() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "A=1\nAIRFLOW_VAR_KEY='-----BEGIN\nabc\n-----END'\nB=2\n")
        let w = writer(try deployment(s, files: [".env"]))
        _ = try await w.apply(.set(.variable("key"), .variable("short", description: nil)), expecting: try await w.read(.variable("key")))
        #expect(try s.text(".env") == "A=1\nAIRFLOW_VAR_KEY=short\nB=2\n")
    }

    @Test func crlfFilesKeepTheirLineEndings() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "A=1\r\nAIRFLOW_VAR_X=old\r\n")
        let w = writer(try deployment(s, files: [".env"]))
        _ = try await w.apply(.set(.variable("x"), .variable("new", description: nil)), expecting: try await w.read(.variable("x")))
        _ = try await w.apply(.set(.variable("y"), .variable("added", description: nil)), expecting: .absent)
        #expect(try s.text(".env") == "A=1\r\nAIRFLOW_VAR_X=new\r\nAIRFLOW_VAR_Y=added\r\n")
    }

    @Test func anAstroProjectsMissingEnvFileIsCreatedPrivate() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("project/airflow_settings.yaml", "airflow: {}\n")
        var d = Deployment(name: "local", baseDirectory: s.file("project"))
        try AstroProject.apply(s.file("project"), to: &d)
        let w = writer(d)
        let receipt = try await w.apply(.set(.connection("db"), .connection(db)), expecting: .absent)
        #expect(receipt.created)
        #expect(receipt.notes.contains { $0.contains("astro dev restart") })
        #expect(try s.mode("project/.env") == 0o600)
        var reloaded = Deployment(name: "local", baseDirectory: s.file("project"))
        try AstroProject.apply(s.file("project"), to: &reloaded)
        let state = try await loadedState(EnvironmentTier(environment: reloaded.environment, dialect: .core), .connection, "AIRFLOW_CONN_DB")
        guard case .present(.connection(let stored)) = state else { Issue.record("not stored: \(state)"); return }
        #expect(stored == db)
    }
}

@Suite struct EnvFileWriterValues {
    static let unusual: [String] = [
        "plain", "", "with space", " leading and trailing ", "hash # not a comment", "#start", "a=b=c",
        "it's", "\"double\"", "both ' and \"", "$HOME and ${USER}", "cost: $5", "back\\slash", "ends with \\",
        "\\n is not a newline", "line1\nline2", "cr\rlf", "tab\there", "Grüße 🌍 ß", "'", "\"", "$", "\\",
        "mixed '$x' \"${y}\" \\z \\", "`backticks`", "{\"json\": [1, 2]}", "trailing space ",
    ]

    @Test(arguments: unusual)
    func readsBackExactly(_ value: String) async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "# header\nAIRFLOW_VAR_OTHER=untouched\n")
        let w = writer(try deployment(s, files: [".env"]))
        let key = SecretKey.variable("v")
        _ = try await w.apply(.set(key, .variable(value, description: nil)), expecting: .absent)
        let expected: EntryState = value.isEmpty ? .empty : .present(.variable(value))
        #expect(try await reloaded(s, .variable, "AIRFLOW_VAR_V", files: [".env"]) == expected)
        #expect(try await reloaded(s, .variable, "AIRFLOW_VAR_OTHER", files: [".env"]) == .present(.variable("untouched")))
        // And once more in place, over itself.
        _ = try await w.apply(.set(key, .variable(value + "!", description: nil)), expecting: expected)
        #expect(try await reloaded(s, .variable, "AIRFLOW_VAR_V", files: [".env"]) == .present(.variable(value + "!")))
        #expect(try s.text(".env").hasPrefix("# header\nAIRFLOW_VAR_OTHER=untouched\nAIRFLOW_VAR_V="))
    }

    @Test func quotingFollowsWhatDockerComposeReadsAlike() throws {
        // Unquoted only for plain words; single quotes (literal everywhere) when possible;
        // double quotes with \\ \" \$ \n \r escapes otherwise.
        #expect(try DotEnvQuoting.encode("eu-west-1", name: "V", path: ".env") == "eu-west-1")
        #expect(try DotEnvQuoting.encode("$HOME", name: "V", path: ".env") == "'$HOME'")
        #expect(try DotEnvQuoting.encode("a # b", name: "V", path: ".env") == "'a # b'")
        #expect(try DotEnvQuoting.encode("it's $5", name: "V", path: ".env") == "\"it's \\$5\"")
        #expect(try DotEnvQuoting.encode("ends\\", name: "V", path: ".env") == "\"ends\\\\\"")
        #expect(try DotEnvQuoting.encode("a\nb", name: "V", path: ".env") == "\"a\\nb\"")
    }

    @Test func aNULCannotBeWritten() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "A=1\n")
        let w = writer(try deployment(s, files: [".env"]))
        let error = await editError { _ = try await w.apply(.set(.variable("v"), .variable("a\0b", description: nil)), expecting: .absent) }
        #expect(error?.kind == .invalid)
        #expect(try s.text(".env") == "A=1\n")
    }

    @Test func connectionsAreWrittenAsURIOrJSON() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "")
        let w = writer(try deployment(s, files: [".env"]))
        var described = db
        described.description = "main database"
        described.extra = #"{"sslmode": "require"}"#
        let uriReceipt = try await w.apply(.set(.connection("by_uri"), .connection(described), form: .uri), expecting: .absent)
        #expect(uriReceipt.notes.contains { $0.contains("cannot hold a description") })
        _ = try await w.apply(.set(.connection("by_json"), .connection(described), form: .json), expecting: .absent)
        let text = try s.text(".env")
        #expect(text.hasPrefix("AIRFLOW_CONN_BY_URI=postgres://app:"))
        #expect(text.contains("AIRFLOW_CONN_BY_JSON='{\"conn_type\": \"postgres\", \"description\": \"main database\""))
        guard case .present(.connection(let viaURI)) = try await reloaded(s, .connection, "AIRFLOW_CONN_BY_URI", files: [".env"]),
              case .present(.connection(let viaJSON)) = try await reloaded(s, .connection, "AIRFLOW_CONN_BY_JSON", files: [".env"]) else {
            Issue.record("connections not read back"); return
        }
        var withoutDescription = described
        withoutDescription.description = nil
        #expect(viaURI == withoutDescription)
        #expect(viaJSON == described)
    }

    @Test func aConnectionTheURICannotHoldIsRefused() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "A=1\n")
        let w = writer(try deployment(s, files: [".env"]))
        // get_uri() turns conn_type "postgresql" into a URI Airflow reads back as "postgres".
        let conn = Connection(connType: "postgresql", host: "h")
        let error = await editError { _ = try await w.apply(.set(.connection("c"), .connection(conn), form: .uri), expecting: .absent) }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("conn_type") == true)
        #expect(error?.message.contains("JSON") == true)
        #expect(try s.text(".env") == "A=1\n")
    }
}

@Suite struct EnvFileWriterRefusals {
    @Test func aValueFromStrataYAMLIsEditedThere() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "AIRFLOW_VAR_X=file\n")
        let w = writer(try deployment(s, files: [".env"], inlineEnv: ["AIRFLOW_VAR_X": "inline"]))
        let base = try await w.read(.variable("x"))
        #expect(base == .present(.variable("inline")))
        let error = await editError { _ = try await w.apply(.set(.variable("x"), .variable("new", description: nil)), expecting: base) }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("strata.yaml") == true)
        #expect(error?.message.contains("inline") == false)
        #expect(try s.text(".env") == "AIRFLOW_VAR_X=file\n")
    }

    @Test func aValueFromTheProcessEnvironmentIsRefused() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "A=1\n")
        let w = writer(try deployment(s, files: [".env"], processEnv: ["AIRFLOW_VAR_SHELL": "from-shell"]))
        let base = try await w.read(.variable("shell"))
        let error = await editError { _ = try await w.apply(.delete(.variable("shell")), expecting: base) }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("process_env") == true)
    }

    @Test func noEnvFilesSaysToAddOne() async throws {
        let s = try Scratch(); defer { s.remove() }
        let w = writer(try deployment(s, files: [], inlineEnv: ["A": "1"]))
        let error = await editError { _ = try await w.apply(.set(.variable("x"), .variable("v", description: nil)), expecting: .absent) }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("env_files:") == true)
    }

    @Test func aNameAnEnvFileCannotHoldIsRefused() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "A=1\n")
        let w = writer(try deployment(s, files: [".env"]))
        let error = await editError { _ = try await w.apply(.set(.connection("my/db"), .connection(db)), expecting: .absent) }
        #expect(error?.kind == .invalid)
        #expect(try s.text(".env") == "A=1\n")
    }

    @Test func aChangeBehindStratasBackIsAConflictAndNothingIsWritten() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "AIRFLOW_VAR_X=one\n")
        let w = writer(try deployment(s, files: [".env"]))
        let base = try await w.read(.variable("x"))
        try s.write(".env", "AIRFLOW_VAR_X=two\n")
        let error = await editError { _ = try await w.apply(.set(.variable("x"), .variable("three", description: nil)), expecting: base) }
        #expect(error?.kind == .conflict)
        #expect(try s.text(".env") == "AIRFLOW_VAR_X=two\n")

        // Created by someone else since Strata saw it absent.
        let error2 = await editError { _ = try await w.apply(.set(.variable("y"), .variable("v", description: nil)), expecting: .present(.variable("gone"))) }
        #expect(error2?.kind == .conflict)
    }

    @Test func permissionBitsAreKept() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "AIRFLOW_VAR_X=one\n")
        try s.setMode(".env", 0o640)
        let w = writer(try deployment(s, files: [".env"]))
        _ = try await w.apply(.set(.variable("x"), .variable("two", description: nil)), expecting: try await w.read(.variable("x")))
        #expect(try s.mode(".env") == 0o640)
    }

    @Test func aFailedWriteLeavesTheFileAndNoTempFile() async throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write(".env", "AIRFLOW_VAR_X=one\n")
        let w = writer(try deployment(s, files: [".env"]))
        let base = try await w.read(.variable("x"))
        let before = try s.listing()
        let error = try await s.withReadOnlyFolder {
            await editError { _ = try await w.apply(.set(.variable("x"), .variable("two", description: nil)), expecting: base) }
        }
        #expect(error?.kind == .failed)
        #expect(error?.message.contains(s.url.path) == true)
        #expect(try s.text(".env") == "AIRFLOW_VAR_X=one\n")
        #expect(try s.listing() == before)
    }
}
