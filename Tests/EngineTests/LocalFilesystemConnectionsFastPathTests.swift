@testable import Engine
import Foundation
import Testing
import TestSupport

/// The fast path for JSON connections files must give exactly what the general path gives
/// (`json.loads` into Python values, then `_create_connection`): the same connections, ids,
/// `conn_id`s and lines, and — by declining — the same errors.
@Suite("LocalFilesystemBackend connections: fast path agrees with the general path")
struct LocalFilesystemConnectionsFastPathTests {
    /// What loading a file gives, comparable as a whole.
    enum Outcome: Equatable, CustomStringConvertible {
        case loaded([LocalFileConnection])
        case failed(LocalFilesystemError)
        case other(String)

        var description: String {
            switch self {
            case .loaded(let items): return "loaded \(items.count) connections"
            case .failed(let error): return "failed: \(error.className)"
            case .other(let text): return "other error: \(text)"
            }
        }
    }

    static func outcome(_ path: String, fastPath: Bool, dialect: ConnectionDialect = .core,
                        rules: LocalFilesystemFile.Rules = .current) -> Outcome {
        do {
            return .loaded(try LocalFilesystemFile.loadConnections(path: path, dialect: dialect, rules: rules,
                                                                    fastPath: fastPath))
        } catch let error as LocalFilesystemError {
            return .failed(error)
        } catch {
            return .other(String(describing: type(of: error)))
        }
    }

    /// Both paths, every dialect and rule set; returns whether the fast path took the text.
    @discardableResult
    static func expectAgreement(path: String, _ label: String) throws -> Bool {
        for dialect in [ConnectionDialect.core, .airflow2, .sdk] {
            for rules in [LocalFilesystemFile.Rules.current, .airflow2] {
                let general = outcome(path, fastPath: false, dialect: dialect, rules: rules)
                let fast = outcome(path, fastPath: true, dialect: dialect, rules: rules)
                #expect(fast == general, "\(label) (\(dialect), \(rules)): fast \(fast), general \(general)")
            }
        }
        guard (try? LocalFilesystemFile.format(ofPath: path)) == .json,
              let text = try? PythonTextFile.read(path: path) else { return false }
        return LocalFilesystemFile.fastConnections(json: text, dialect: .core) != nil
    }

    // MARK: Recorded fixtures

    static let fixtureFiles = Fixtures.localFilesystemFiles

    @Test func everyFixtureFileIsAFileToCompare() {
        #expect(Self.fixtureFiles.count >= 40)
        #expect(Self.fixtureFiles.contains("connections-basic.json"))
    }

    @Test("fixture", arguments: fixtureFiles)
    func fixtureFilesAgree(_ name: String) throws {
        try Self.expectAgreement(path: Fixtures.url("local-filesystem").appendingPathComponent(name).path, name)
    }

    // MARK: Generated variants

    /// A file of the benchmark's shape: the fast path must take it.
    static func commonFile(count: Int = 30, separator: String = "\n", indent: String = "  ") -> String {
        var json = "{" + separator
        for i in 0..<count {
            json += indent + "\"conn_\(i)\": {\"conn_type\": \"http\", \"host\": \"h\(i).example.com\", \"port\": 443, \"extra\": {\"timeout\": \(i % 60)}}"
            json += i == count - 1 ? separator : "," + separator
        }
        return json + "}" + separator
    }

    /// Entries (the text after `"id": `) put between two ordinary entries.
    static func wrapped(_ value: String, key: String = "odd") -> String {
        "{\n  \"first\": {\"conn_type\": \"http\", \"host\": \"a\"},\n  \"\(key)\": \(value),\n  \"last\": {\"host\": \"z\", \"port\": 1}\n}\n"
    }

    /// Texts the fast path must take.
    static let acceptedVariants: [(String, String)] = [
        ("benchmark shape", commonFile()),
        ("more than twelve entries", commonFile(count: 200)),
        ("thousands of entries", commonFile(count: 1500)),
        ("one line, no spaces", commonFile(separator: "", indent: "")
            .replacingOccurrences(of: ": ", with: ":").replacingOccurrences(of: ", ", with: ",")),
        ("tab indent and blank lines", commonFile(separator: "\n\n", indent: "\t\t")),
        ("CRLF line endings", commonFile().replacingOccurrences(of: "\n", with: "\r\n")),
        ("CR line endings", commonFile().replacingOccurrences(of: "\n", with: "\r")),
        ("leading and trailing whitespace", "\n\n  \t" + commonFile() + "\n \n\t"),
        ("pretty printed, one member a line", """
        {
            "full": {
                "conn_type": "postgres",
                "host": "db.example.com",
                "login": "user",
                "password": "secret",
                "schema": "public",
                "port": 5432,
                "description": "the main database",
                "extra": {
                    "sslmode": "require",
                    "timeout": 30,
                    "verify": true,
                    "retry": false,
                    "proxy": null,
                    "big": 123456789012345678901234567890,
                    "negative": -5,
                    "zero": 0
                }
            },
            "second": {"conn_type": "http"}
        }
        """),
        ("nulls everywhere", wrapped("{\"conn_type\": null, \"host\": null, \"login\": null, \"password\": null, \"schema\": null, \"port\": null, \"extra\": null, \"description\": null}")),
        ("empty strings", wrapped("{\"conn_type\": \"\", \"host\": \"\", \"login\": \"\", \"password\": \"\", \"schema\": \"\", \"description\": \"\"}")),
        ("an empty connection object", wrapped("{}")),
        ("conn_id matching the key", wrapped("{\"conn_id\": \"odd\", \"conn_type\": \"http\"}")),
        ("negative and zero ports", wrapped("{\"port\": -1}") ),
        ("port zero", wrapped("{\"port\": 0}")),
        ("port -0", wrapped("{\"port\": -0}")),
        ("non-ASCII values", wrapped("{\"host\": \"hôte.example\", \"description\": \"café ☕\", \"password\": \"pässwörd\"}")),
        ("an id Airflow's sanitising rejects", wrapped("{\"host\": \"h\"}", key: "bad id with spaces")),
        ("an id with every allowed punctuation", wrapped("{\"host\": \"h\"}", key: "a#b!c(d)e-f.g:h/i_j")),
        ("a 250-character id", wrapped("{\"host\": \"h\"}", key: String(repeating: "x", count: 250))),
        ("a 251-character id", wrapped("{\"host\": \"h\"}", key: String(repeating: "x", count: 251))),
        ("an empty id", wrapped("{\"host\": \"h\"}", key: "")),
        ("URIs", """
        {
          "pg": "postgresql://user:pass@db.example.com:5432/mydb?sslmode=require&a=1",
          "encoded": "mysql://us%40er:p%2Fw@h%3A1/d%20b?x=%7B%7D",
          "bare": "http://h",
          "scheme only": "my-type://",
          "json extra": "aws://?__extra__=%7B%22region%22%3A+%22eu%22%7D",
          "unicode": "http://hôte.example/é",
          "object": {"conn_type": "http", "host": "h"}
        }
        """),
        ("a URI that is not a URI", wrapped("\"just some text\"")),
        ("an escape in a value", wrapped("{\"host\": \"a\\\"b\"}")),
        ("a unicode escape", wrapped("{\"host\": \"h\\u00e9\"}")),
        ("a surrogate pair escape", wrapped("{\"extra\": {\"e\": \"\\ud83d\\ude00\"}}")),
        ("a non-ASCII extra value", wrapped("{\"extra\": {\"name\": \"café\"}}")),
        ("DEL in an extra value", wrapped("{\"extra\": {\"k\": \"a\u{7F}b\"}}")),
        ("extra as a JSON string", wrapped("{\"extra\": \"{\\\"a\\\": 1}\"}")),
        ("extra as an empty string", wrapped("{\"extra\": \"\"}")),
        ("a uri with an escape", wrapped("\"http://h/a\\/b\"")),
        ("a lone surrogate escape", wrapped("{\"host\": \"a\\ud800b\", \"extra\": {\"k\": \"\\udc00\"}}")),
        ("every escape", wrapped("{\"description\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\", \"extra\": {\"k\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u007f\"}}")),
        ("extra as a JSON string with spaces kept", wrapped("{\"extra\": \"{ \\\"b\\\" :2 ,\\\"a\\\":1}\"}")),
        ("extra with a non-sanitising key", wrapped("{\"extra\": {\"a b\": \"c d\", \"~\": \"{}\"}}")),
    ]

    /// Texts the fast path must leave to the general path (errors and unusual values).
    static let declinedVariants: [(String, String)] = [
        ("an escape in a key", wrapped("{\"host\": \"h\"}", key: "o\\u0064d")),
        ("a non-ASCII id", wrapped("{\"host\": \"h\"}", key: "conné")),
        ("NFC and NFD spellings of one id", "{\"caf\u{E9}\": {\"host\": \"a\"}, \"cafe\u{301}\": {\"host\": \"b\"}}"),
        ("a non-ASCII extra key", wrapped("{\"extra\": {\"clé\": 1}}")),
        ("a float in extra", wrapped("{\"extra\": {\"ratio\": 0.5}}")),
        ("an exponent in extra", wrapped("{\"extra\": {\"n\": 1e3}}")),
        ("a float port", wrapped("{\"port\": 443.0}")),
        ("an exponent port", wrapped("{\"port\": 4E2}")),
        ("a huge port", wrapped("{\"port\": 99999999999999999999}")),
        ("a string port", wrapped("{\"port\": \"443\"}")),
        ("a boolean port", wrapped("{\"port\": true}")),
        ("a leading zero", wrapped("{\"port\": 0443}")),
        ("-0 in extra", wrapped("{\"extra\": {\"n\": -0}}")),
        ("NaN in extra", wrapped("{\"extra\": {\"n\": NaN}}")),
        ("Infinity port", wrapped("{\"port\": -Infinity}")),
        ("a nested object in extra", wrapped("{\"extra\": {\"a\": {\"b\": 1}}}")),
        ("a list in extra", wrapped("{\"extra\": {\"a\": [1, 2]}}")),
        ("an empty extra object", wrapped("{\"extra\": {}}")),
        ("extra as a list", wrapped("{\"extra\": [1]}")),
        ("extra as plain text", wrapped("{\"extra\": \"not json\"}")),
        ("extra as a number", wrapped("{\"extra\": 5}")),
        ("extra as false", wrapped("{\"extra\": false}")),
        ("extra_dejson", wrapped("{\"conn_type\": \"http\", \"extra_dejson\": {\"a\": 1}}")),
        ("extra and extra_dejson", wrapped("{\"extra\": {\"a\": 1}, \"extra_dejson\": {\"a\": 1}}")),
        ("a duplicate id", "{\"a\": {\"host\": \"1\"}, \"b\": {\"host\": \"2\"}, \"a\": {\"host\": \"3\"}}"),
        ("a duplicate id among many", commonFile(count: 40).replacingOccurrences(of: "\"conn_39\"", with: "\"conn_3\"")),
        ("a duplicate id among thousands", commonFile(count: 1200).replacingOccurrences(of: "\"conn_1199\"", with: "\"conn_7\"")),
        ("a duplicate member", wrapped("{\"host\": \"a\", \"host\": \"b\"}")),
        ("a duplicate extra key", wrapped("{\"extra\": {\"a\": 1, \"b\": 2, \"a\": 3}}")),
        ("a boolean host", wrapped("{\"host\": true}")),
        ("a number host", wrapped("{\"host\": 123}")),
        ("a number password", wrapped("{\"password\": 123}")),
        ("an object description", wrapped("{\"description\": {\"a\": 1}}")),
        ("a uri member", wrapped("{\"uri\": \"http://u:p@h:80/x\"}")),
        ("a uri mixed with fields", wrapped("{\"uri\": \"http://h\", \"host\": \"h\"}")),
        ("an empty URI", wrapped("\"\"")),
        ("an invalid escape", wrapped("{\"host\": \"a\\xb\"}")),
        ("a short unicode escape", wrapped("{\"host\": \"a\\u00\"}")),
        ("extra as a JSON string of a list", wrapped("{\"extra\": \"[1]\"}")),
        ("extra as a string of bad JSON", wrapped("{\"extra\": \"{\\\"a\\\": }\"}")),
        ("a URI the parser refuses", wrapped("\"postgres://u:p@h:notaport/d\"")),
        ("a list of one", wrapped("[{\"host\": \"h\"}]")),
        ("a list of two", wrapped("[\"http://a\", \"http://b\"]")),
        ("an empty list", wrapped("[]")),
        ("a null connection", wrapped("null")),
        ("a number connection", wrapped("42")),
        ("illegal keys", wrapped("{\"conn_type\": \"http\", \"hostname\": \"h\", \"other\": 1}")),
        ("team_name", wrapped("{\"conn_type\": \"http\", \"team_name\": \"t\"}")),
        ("a mismatched conn_id", wrapped("{\"conn_id\": \"other\"}")),
        ("a null conn_id", wrapped("{\"conn_id\": null}")),
        ("a conn_id prefix of the key", wrapped("{\"conn_id\": \"od\"}")),
        ("a control character in a value", wrapped("{\"host\": \"a\tb\"}")),
        ("a raw newline in a value", wrapped("{\"host\": \"a\nb\"}")),
        ("a trailing comma", "{\"a\": {\"host\": \"h\"},}"),
        ("a trailing comma in a connection", wrapped("{\"host\": \"h\",}")),
        ("a missing colon", "{\"a\" {\"host\": \"h\"}}"),
        ("a missing comma", "{\"a\": {\"host\": \"h\"} \"b\": {}}"),
        ("a truncated file", String(commonFile().dropLast(30))),
        ("extra data", commonFile() + "{}"),
        ("a BOM", "\u{FEFF}" + commonFile()),
        ("single quotes", "{'a': {'host': 'h'}}"),
        ("an empty object", "{}"),
        ("an empty file", ""),
        ("whitespace only", " \n"),
        ("a top-level list", "[{\"host\": \"h\"}]"),
        ("a top-level string", "\"http://h\""),
        ("a comment", "// hi\n" + commonFile()),
        ("True spelled as Python", wrapped("{\"extra\": {\"a\": True}}")),
        ("nul spelled short", wrapped("{\"host\": nul}")),
    ]

    @Test func theCommonShapesTakeTheFastPathAndAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (index, (label, text)) in Self.acceptedVariants.enumerated() {
            let file = try dir.write("accepted-\(index).json", text)
            #expect(try Self.expectAgreement(path: file.path, label), "the fast path takes: \(label)")
        }
    }

    @Test func unusualTextsFallBackToTheGeneralPathAndAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (index, (label, text)) in Self.declinedVariants.enumerated() {
            let file = try dir.write("declined-\(index).json", text)
            #expect(try !Self.expectAgreement(path: file.path, label), "the fast path declines: \(label)")
        }
    }

    /// The tier builds records straight from the fast path; they must equal the records of the
    /// general path's connections (which the tier builds for every other file).
    @Test func theTiersRecordsAgreeWithTheGeneralPath() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let variants = Self.acceptedVariants + Self.declinedVariants
        for (index, (label, text)) in variants.enumerated() {
            let file = try dir.write("tier-\(index).json", text)
            for dialect in [ConnectionDialect.core, .airflow2, .sdk] {
                let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: file, dialect: dialect)
                let loaded: [TierRecord]?
                do { loaded = try await tier.load().records } catch { loaded = nil }
                let expected: [TierRecord]?
                if let general = try? LocalFilesystemFile.loadConnections(path: file.path, dialect: dialect,
                                                                          rules: tier.rules, fastPath: false) {
                    expected = general.compactMap { item in
                        item.key.stringValue.map {
                            tier.connectionRecord(key: $0, connection: item.connection, connID: item.connID,
                                                  path: file.path, line: item.line)
                        }
                    }
                } else {
                    expected = nil
                }
                #expect(loaded == expected, "\(label) (\(dialect))")
                if let loaded, let expected {
                    #expect(loaded.map(\.metadata) == expected.map(\.metadata), "\(label) (\(dialect)) metadata")
                }
            }
        }
    }

    @Test func linesFollowTheFileLayout() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = "\r\n{\r\n\r\n  \"a\": {\"host\": \"x\"},\r  \"b\":\n{\"host\": \"y\"}, \"c\": {}\n}"
        let file = try dir.write("lines.json", text)
        let loaded = try LocalFilesystemFile.loadConnections(path: file.path)
        #expect(loaded.map(\.line) == [4, 5, 6])
        #expect(try Self.expectAgreement(path: file.path, "lines"))
    }

    @Test func extraIsSpelledAsPythonsJSONDumps() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("extra.json", "{\"a\": {\"extra\":{\"z\":1,\"a\" :  \"x y\",\"n\":null,\"t\":true,\"big\":-12345678901234567890123}}}")
        let loaded = try LocalFilesystemFile.loadConnections(path: file.path)
        #expect(loaded.first?.connection.extra == "{\"z\": 1, \"a\": \"x y\", \"n\": null, \"t\": true, \"big\": -12345678901234567890123}")
        #expect(try Self.expectAgreement(path: file.path, "extra"))
    }

    /// Random mixes of the variants' fragments, so that combinations are compared too.
    @Test func randomMixesAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let keys = ["conn_type", "host", "login", "password", "schema", "port", "extra", "description", "conn_id", "uri", "team_name", "extra_dejson"]
        let values = ["\"http\"", "\"\"", "null", "443", "-1", "0", "1.5", "true", "\"a\\nb\"", "\"é\"", "{\"t\": 7}", "{}", "[]",
                      "{\"a\": 1, \"b\": \"x\", \"c\": false}", "{\"a\": {\"b\": 1}}", "\"id_7\"", "\"http://u:p@h:1/d\""]
        let uris = ["\"postgres://u:p@h:5432/d\"", "\"http://h\"", "\"mysql://u:p%40@h/d?a=b\"", "\"\"",
                    "\"postgres://h:bad/d\"", "\"http:\\/\\/h\"", "[\"http://h\"]", "null"]
        var generator = SplitMix(seed: 0x5EED)
        var fastCount = 0
        for round in 0..<300 {
            var entries: [String] = []
            for entry in 0..<Int(generator.next() % 5 + 1) {
                var members: [String] = []
                for _ in 0..<Int(generator.next() % 4) {
                    // Mostly the common shape, so that many mixes take the fast path.
                    let unusual = generator.next() % 6 == 0
                    let keyChoices = unusual ? keys : Array(keys.prefix(8))
                    let valueChoices = unusual ? values : Array(values.prefix(3))
                    let key = keyChoices[Int(generator.next() % UInt64(keyChoices.count))]
                    var value = valueChoices[Int(generator.next() % UInt64(valueChoices.count))]
                    if !unusual, key == "port" { value = "443" }
                    if !unusual, key == "extra" { value = "{\"a\": 1, \"b\": \"x\", \"c\": false}" }
                    members.append("\"\(key)\": \(value)")
                }
                let id = generator.next() % 7 == 0 ? "id_\(entry / 2)" : "id_\(entry)"
                if generator.next() % 4 == 0 {
                    entries.append("\"\(id)\": " + uris[Int(generator.next() % UInt64(uris.count))])
                    continue
                }
                entries.append("\"\(id)\": {" + members.joined(separator: ", ") + "}")
            }
            let text = "{\n" + entries.joined(separator: ",\n") + "\n}\n"
            let file = try dir.write("mix-\(round).json", text)
            if try Self.expectAgreement(path: file.path, "mix \(round)") { fastCount += 1 }
        }
        #expect(fastCount > 30, "some mixes take the fast path")
        #expect(fastCount < 270, "some mixes are left to the general path")
    }
}

/// A small deterministic generator, so the random mixes are the same on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
