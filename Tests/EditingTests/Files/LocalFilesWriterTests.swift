@testable import Engine
@testable import Editing
import Foundation
import Testing
import TestSupport

/// Copies a recorded fixture into the scratch folder under `name`.
@discardableResult
private func copyFixture(_ fixture: String, to name: String, in s: Scratch) throws -> URL {
    let text = try String(contentsOf: Fixtures.url("local-filesystem/\(fixture)"), encoding: .utf8)
    return try s.write(name, text)
}

private func variablesWriter(_ url: URL, dialect: ConnectionDialect = .core) -> LocalFilesWriter {
    LocalFilesWriter(variablesFile: url, connectionsFile: nil, dialect: dialect)
}

private func connectionsWriter(_ url: URL, dialect: ConnectionDialect = .core) -> LocalFilesWriter {
    LocalFilesWriter(variablesFile: nil, connectionsFile: url, dialect: dialect)
}

/// Every record of a fresh load through the real tier, keyed by kind and name.
private func everything(_ url: URL, _ kind: SecretKind) async throws -> [String: EntryState] {
    let tier = LocalFilesystemTier(variablesFile: kind == .variable ? url : nil,
                                   connectionsFile: kind == .connection ? url : nil, dialect: .core)
    var map: [String: EntryState] = [:]
    for record in try await tier.load().records { map[record.name] = record.state }
    return map
}

/// `old` with exactly one occurrence of `line` replaced by `replacement`.
private func replacingOnce(_ old: String, _ line: String, _ replacement: String) throws -> String {
    let range = try #require(old.range(of: line))
    #expect(old.components(separatedBy: line).count == 2, "the fixture line should occur once")
    return old.replacingCharacters(in: range, with: replacement)
}

private let db = Connection(connType: "postgres", host: "db.internal", login: "app", password: "p@ss: w/rd", schema: "prod", port: 5432,
                            extra: #"{"sslmode": "require", "options": ["a", "b"]}"#)

@Suite struct LocalFilesWriterEnvFiles {
    @Test func aConnectionLineIsReplacedAndEveryOtherLineKept() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("connections-basic.env", to: "connections.env", in: s)
        let original = try s.text("connections.env")
        let before = try await everything(url, .connection)
        let w = connectionsWriter(url)
        #expect(w.connectionForms == [.uri])
        let base = try await w.read(.connection("POSTGRES"))
        let receipt = try await w.apply(.set(.connection("POSTGRES"), .connection(db), form: .uri), expecting: base)
        #expect(receipt.location == url.path)
        let uri = try db.uri(dialect: .core)
        #expect(try s.text("connections.env") == replacingOnce(
            original, "POSTGRES=postgresql://user:p%40ss@db.example.com:5432/mydb?sslmode=require", "POSTGRES=\(uri)"))
        var after = try await everything(url, .connection)
        #expect(after["POSTGRES"] == .present(.connection(db)))
        after["POSTGRES"] = before["POSTGRES"]
        #expect(after == before)
    }

    @Test func createAndDeleteAVariableLine() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("variables-basic.env", to: "variables.env", in: s)
        let original = try s.text("variables.env") // ends without a newline
        let w = variablesWriter(url)
        let created = try await w.apply(.set(.variable("NEW_KEY"), .variable("a=b # \"q\" 'x' $y", description: nil)), expecting: .absent)
        #expect(created.created)
        #expect(try s.text("variables.env") == original + "\nNEW_KEY=a=b # \"q\" 'x' $y\n")
        #expect(try await everything(url, .variable)["NEW_KEY"] == .present(.variable("a=b # \"q\" 'x' $y")))

        _ = try await w.apply(.delete(.variable("NEW_KEY")), expecting: try await w.read(.variable("NEW_KEY")))
        _ = try await w.apply(.delete(.variable("PLAIN")), expecting: try await w.read(.variable("PLAIN")))
        #expect(try s.text("variables.env") == original.replacingOccurrences(of: "PLAIN=hello\n", with: "") + "\n")
        #expect(try await everything(url, .variable)["PLAIN"] == nil)
    }

    @Test func valuesAnUnquotedLineCannotHoldAreRefused() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("variables.env", "A=1\n")
        let w = variablesWriter(url)
        for value in ["two\nlines", "form\u{0C}feed", "sep\u{2028}arated", ""] {
            let error = await editError { _ = try await w.apply(.set(.variable("B"), .variable(value, description: nil)), expecting: .absent) }
            #expect(error?.kind == .invalid)
        }
        let error = await editError { _ = try await w.apply(.set(.variable("a=b"), .variable("v", description: nil)), expecting: .absent) }
        #expect(error?.kind == .invalid)
        #expect(try s.text("variables.env") == "A=1\n")
    }

    @Test func fieldsCannotGoIntoAnEnvFile() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("c.env", "A=x://h\n")
        let error = await editError {
            _ = try await connectionsWriter(url).apply(.set(.connection("B"), .connection(db), form: .fields), expecting: .absent)
        }
        #expect(error?.kind == .invalid)
    }
}

@Suite struct LocalFilesWriterJSONFiles {
    @Test func aMemberIsReplacedInPlace() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("variables-basic.json", to: "variables.json", in: s)
        let original = try s.text("variables.json")
        let w = variablesWriter(url)
        _ = try await w.apply(.set(.variable("plain"), .variable("bye \"now\"\n", description: nil)),
                              expecting: try await w.read(.variable("plain")))
        #expect(try s.text("variables.json") == replacingOnce(original, #""plain": "hello""#, #""plain": "bye \"now\"\n""#))
    }

    @Test func aNewMemberFollowsTheIndentationAndDeleteTakesItsComma() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("variables-basic.json", to: "variables.json", in: s)
        let original = try s.text("variables.json")
        let before = try await everything(url, .variable)
        let w = variablesWriter(url)
        _ = try await w.apply(.set(.variable("added"), .variable("Grüße", description: nil)), expecting: .absent)
        #expect(try s.text("variables.json") == replacingOnce(original, "\"\": \"empty key\"\n}", "\"\": \"empty key\",\n  \"added\": \"Grüße\"\n}"))
        _ = try await w.apply(.delete(.variable("added")), expecting: .present(.variable("Grüße")))
        #expect(try s.text("variables.json") == original)
        _ = try await w.apply(.delete(.variable("plain")), expecting: .present(.variable("hello")))
        #expect(try s.text("variables.json") == replacingOnce(original, "\"plain\": \"hello\",\n  ", ""))
        var after = try await everything(url, .variable)
        #expect(after["plain"] == nil)
        after["plain"] = before["plain"]
        #expect(after == before)
    }

    @Test func connectionsAsObjectsWithANestedExtra() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("connections-basic.json", to: "connections.json", in: s)
        let before = try await everything(url, .connection)
        let w = connectionsWriter(url)
        #expect(w.connectionForms == [.fields, .uri])
        var described = db
        described.description = "main db"
        _ = try await w.apply(.set(.connection("dict_full"), .connection(described), form: .fields),
                              expecting: try await w.read(.connection("dict_full")))
        let text = try s.text("connections.json")
        #expect(text.contains("""
          "dict_full": {
            "conn_type": "postgres",
            "description": "main db",
            "host": "db.internal",
            "login": "app",
            "password": "p@ss: w/rd",
            "schema": "prod",
            "port": 5432,
            "extra": {
              "sslmode": "require",
              "options": [
                "a",
                "b"
              ]
            }
          },
          "dict_extra_string": {
        """))
        var after = try await everything(url, .connection)
        #expect(after["dict_full"] == .present(.connection(described)))
        after["dict_full"] = before["dict_full"]
        #expect(after == before)

        _ = try await w.apply(.set(.connection("as_uri"), .connection(db), form: .uri), expecting: .absent)
        #expect(try await everything(url, .connection)["as_uri"] == .present(.connection(db)))
    }

    @Test func aMissingFileIsCreatedPrivate() async throws {
        let s = try Scratch(); defer { s.remove() }
        let w = variablesWriter(s.file("new.json"))
        #expect(try await w.read(.variable("k")) == .absent)
        _ = try await w.apply(.set(.variable("k"), .variable("v", description: nil)), expecting: .absent)
        #expect(try s.text("new.json") == "{\n  \"k\": \"v\"\n}\n")
        #expect(try s.mode("new.json") == 0o600)
    }
}

@Suite struct LocalFilesWriterYAMLFiles {
    @Test func aKeysBlockIsReplacedAndCommentsKept() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("variables-basic.yaml", to: "variables.yaml", in: s)
        let original = try s.text("variables.yaml")
        let before = try await everything(url, .variable)
        let w = variablesWriter(url)
        _ = try await w.apply(.set(.variable("literal_block"), .variable("one line: now", description: nil)),
                              expecting: try await w.read(.variable("literal_block")))
        #expect(try s.text("variables.yaml") == replacingOnce(original, "literal_block: |\n  line1\n  line2\n", "literal_block: 'one line: now'\n"))
        var after = try await everything(url, .variable)
        #expect(after["literal_block"] == .present(.variable("one line: now")))
        after["literal_block"] = before["literal_block"]
        #expect(after == before)
    }

    @Test func duplicatesAreAllRemovedAndTheWinnerIsReplaced() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("variables-basic.yaml", to: "variables.yaml", in: s)
        let original = try s.text("variables.yaml")
        let w = variablesWriter(url)
        #expect(try await w.read(.variable("dup")) == .present(.variable("second")))
        _ = try await w.apply(.set(.variable("dup"), .variable("third", description: nil)), expecting: .present(.variable("second")))
        #expect(try s.text("variables.yaml") == replacingOnce(original, "dup: second\n", "dup: third\n"))
        _ = try await w.apply(.delete(.variable("dup")), expecting: .present(.variable("third")))
        #expect(try s.text("variables.yaml") == original.replacingOccurrences(of: "dup: first\ndup: second\n", with: ""))
    }

    @Test func anEditThatWouldChangeAnAliasIsRefused() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("variables-basic.yaml", to: "variables.yaml", in: s)
        let original = try s.text("variables.yaml")
        let w = variablesWriter(url)
        let error = await editError {
            _ = try await w.apply(.set(.variable("anchor"), .variable("plain now", description: nil)),
                                  expecting: try await w.read(.variable("anchor")))
        }
        #expect(error != nil)
        #expect(try s.text("variables.yaml") == original)
        #expect(try s.listing() == ["variables.yaml"])
    }

    @Test func connectionsAsMappingsWithMultiLineSecrets() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try copyFixture("connections-basic.yaml", to: "connections.yaml", in: s)
        let before = try await everything(url, .connection)
        let w = connectionsWriter(url)
        var key = Connection(connType: "ssh", login: "ops", password: "-----BEGIN KEY-----\nxyz\n-----END KEY-----\n", port: 22)
        key.extra = #"{"timeout": 30}"#
        _ = try await w.apply(.set(.connection("multiline_password"), .connection(key), form: .fields),
                              expecting: try await w.read(.connection("multiline_password")))
        let text = try s.text("connections.yaml")
        #expect(text.contains("""
        multiline_password:
          conn_type: ssh
          login: ops
          password: "-----BEGIN KEY-----\\nxyz\\n-----END KEY-----\\n"
          port: 22
          extra: '{"timeout": 30}'
        list_one:
        """))
        var after = try await everything(url, .connection)
        #expect(after["multiline_password"] == .present(.connection(key)))
        after["multiline_password"] = before["multiline_password"]
        #expect(after == before)
    }
}

@Suite struct LocalFilesWriterValues {
    static let unusual: [String] = [
        "plain", "with space", " padded ", "hash # here", "#start", "a: b", "- dash", "it's", "\"quoted\"", "both ' \"",
        "$HOME", "back\\slash", "line1\nline2", "tab\there", "Grüße 🌍", "yes", "null", "~", "123", "1.5", "0o17", "2024-01-31",
        "{\"json\": [1]}", "[list]", "*alias", "&anchor", "!tag", "%percent", "@at", "`tick`", "trailing:", "nel\u{85}x",
        "ls\u{2028}x", "bell\u{07}", "nbsp\u{A0}x", "",
    ]

    @Test(arguments: ["json", "yaml", "yml"], unusual)
    func readsBackExactly(_ ext: String, _ value: String) async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("variables.\(ext)", ext == "json" ? "{\"other\": \"kept\"}\n" : "# vars\nother: kept\n")
        let w = variablesWriter(url)
        _ = try await w.apply(.set(.variable("v"), .variable(value, description: nil)), expecting: .absent)
        let loaded = try await everything(url, .variable)
        #expect(loaded["v"] == (value.isEmpty ? .empty : .present(.variable(value))))
        #expect(loaded["other"] == .present(.variable("kept")))
        // A key that needs quoting too.
        _ = try await w.apply(.set(.variable(value + "k"), .variable("x", description: nil)), expecting: .absent)
        #expect(try await everything(url, .variable)[value + "k"] == .present(.variable("x")))
    }
}

@Suite struct LocalFilesWriterSafety {
    @Test func aChangeBehindStratasBackIsAConflict() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("variables.yaml", "a: one\n")
        let w = variablesWriter(url)
        let base = try await w.read(.variable("a"))
        try s.write("variables.yaml", "a: two\n")
        let error = await editError { _ = try await w.apply(.set(.variable("a"), .variable("three", description: nil)), expecting: base) }
        #expect(error?.kind == .conflict)
        #expect(try s.text("variables.yaml") == "a: two\n")
    }

    @Test func permissionsAreKeptAndAFailedWriteLeavesNoTrace() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("connections.json", "{\n  \"a\": \"x://h\"\n}\n")
        try s.setMode("connections.json", 0o640)
        let w = connectionsWriter(url)
        _ = try await w.apply(.set(.connection("a"), .connection(db), form: .uri), expecting: try await w.read(.connection("a")))
        #expect(try s.mode("connections.json") == 0o640)
        let text = try s.text("connections.json")
        let listing = try s.listing()
        let error = try await s.withReadOnlyFolder {
            await editError { _ = try await w.apply(.delete(.connection("a")), expecting: .present(.connection(db))) }
        }
        #expect(error?.kind == .failed)
        #expect(try s.text("connections.json") == text)
        #expect(try s.listing() == listing)
    }

    @Test func aBrokenFileIsNotEdited() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("variables.json", "{\"a\": ")
        let error = await editError {
            _ = try await variablesWriter(url).apply(.set(.variable("b"), .variable("v", description: nil)), expecting: .absent)
        }
        #expect(error?.kind == .failed)
        #expect(try s.text("variables.json") == "{\"a\": ")
    }

    @Test func kindsWithoutAFileAreNeverWritten() {
        let w = variablesWriter(URL(fileURLWithPath: "/tmp/v.json"))
        #expect(w.connectionForms.isEmpty)
        #expect(w.lookupName(for: .connection("c")) == .skipped(reason: "no connections_file_path configured"))
    }
}
