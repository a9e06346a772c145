@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

@Suite("LocalFilesystemBackend tier")
struct LocalFilesystemTierTests {
    @Test func variablesAndConnectionsBecomeRecordsWithFileAndLine() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let vars = try dir.write("vars.yaml", "plain: hello\nport: 5432\nempty: ''\nnothing: ~\nlist: [1, two]\n123: int key\n")
        let conns = try dir.write("conns.json", "{\n  \"db\": \"postgres://u:pw@h:5432/d\",\n  \"api\": {\"conn_type\": \"http\", \"host\": \"api.example\"}\n}\n")
        let tier = LocalFilesystemTier(variablesFile: vars, connectionsFile: conns, dialect: .core)
        let snapshot = try await tier.load()
        let byName = Dictionary(uniqueKeysWithValues: snapshot.records.map { ("\($0.kind):\($0.name)", $0) })
        #expect(byName["variable:plain"]?.state == .present(.variable("hello")))
        #expect(byName["variable:plain"]?.metadata["line"] == "1")
        #expect(byName["variable:port"]?.state == .present(.variable("5432")))
        #expect(byName["variable:port"]?.metadata["python_type"] == "int")
        #expect(byName["variable:empty"]?.state == .empty)
        #expect(byName["variable:list"]?.state == .present(.variable("[1, 'two']")))
        guard case .unreadable? = byName["variable:nothing"]?.state else {
            Issue.record("a null value is a miss in Airflow")
            return
        }
        #expect(byName["variable:123"] == nil, "an int key is never found by a string lookup")
        #expect(snapshot.warnings.contains { $0.contains("123") && $0.contains(":6") })
        #expect(byName["connection:db"]?.metadata["line"] == "2")
        guard case .present(.connection(let db))? = byName["connection:db"]?.state else {
            Issue.record("db must parse")
            return
        }
        #expect(db.host == "h" && db.port == 5432 && db.password == "pw")
        #expect(tier.lookupName(for: .variable("Plain")) == .name("Plain"), "ids are looked up exactly")
    }

    @Test func anAbsentPathSkipsThatKind() {
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: URL(fileURLWithPath: "/x.env"), dialect: .core)
        guard case .skipped = tier.lookupName(for: .variable("a")) else {
            Issue.record("variables must be skipped")
            return
        }
        #expect(tier.lookupName(for: .connection("a")) == .name("a"))
    }

    @Test func aParseErrorFailsTheTierNamingFileAndLine() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("vars.yaml", "a: 1\nb: [unclosed\nc: 3\n")
        let tier = LocalFilesystemTier(variablesFile: file, connectionsFile: nil, dialect: .core)
        let error = await #expect(throws: TierError.self) { try await tier.load() }
        #expect(error?.message.hasPrefix("\(file.path):3: AirflowFileParseException: while parsing a flow sequence") == true)
    }

    @Test func aBadConnectionValueFailsWithoutQuotingTheSecret() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("conns.yaml", "good: x://h\nbad: x://user:hunter2-secret@h:99999/db\n")
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: file, dialect: .core)
        let error = await #expect(throws: TierError.self) { try await tier.load() }
        #expect(error?.message.contains(file.path) == true)
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test func aNonStringHostMakesGetURIFailOnTheServerOnly() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("conns.yaml", "c:\n  conn_type: http\n  host: yes\n")
        let server = try await LocalFilesystemTier(variablesFile: nil, connectionsFile: file, dialect: .core).load()
        guard case .unreadable? = server.records.first?.state else {
            Issue.record("the server's get_uri() raises, so the hit falls through")
            return
        }
        let worker = try await LocalFilesystemTier(variablesFile: nil, connectionsFile: file, dialect: .sdk).load()
        guard case .present(.connection(let c))? = worker.records.first?.state else {
            Issue.record("workers return the object as it is")
            return
        }
        #expect(c.verbatim["host"] == .bool(true))
    }

    @Test func backendKwargsResolvePathsAndRejectUnknownKeys() throws {
        let deployment = Deployment(name: "d", baseDirectory: URL(fileURLWithPath: "/work/proj", isDirectory: true))
        let configuration = BackendConfiguration(
            classPath: LocalFilesystemTier.className, family: .localFilesystem,
            kwargs: JSONObject([("variables_file_path", .string("secrets/vars.env"))]))
        let tier = try LocalFilesystemTier(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        #expect(tier.variablesFile?.path == "/work/proj/secrets/vars.env")
        #expect(tier.connectionsFile == nil)
        let bad = BackendConfiguration(classPath: LocalFilesystemTier.className, family: .localFilesystem,
                                       kwargs: JSONObject([("variable_file_path", .string("x.env"))]))
        #expect(throws: TierError.self) {
            try LocalFilesystemTier(configuration: bad, deployment: deployment, tier: .backend, dialect: .core)
        }
    }

    // MARK: Malformed input

    @Test func nonUTF8BytesAreAirflowsUnicodeDecodeError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("vars.env")
        try Data([0x41, 0x3D, 0x31, 0x0A, 0x42, 0x3D, 0xFF, 0x0A]).write(to: file)
        #expect {
            try LocalFilesystemFile.loadVariables(path: file.path)
        } throws: { error in
            let error = error as? LocalFilesystemError
            return error?.className == "UnicodeDecodeError"
                && error?.message == "'utf-8' codec can't decode byte 0xff in position 6: invalid start byte"
        }
    }

    @Test func aBOMIsKeptInEnvKeysAndRefusedByJSON() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let env = try dir.write("v.env", "\u{FEFF}K=v\n")
        #expect(try LocalFilesystemFile.loadVariables(path: env.path).first?.key == .string("\u{FEFF}K"))
        let yaml = try dir.write("v.yaml", "\u{FEFF}K: v\n")
        #expect(try LocalFilesystemFile.loadVariables(path: yaml.path).first?.key == .string("K"))
    }

    @Test func aFileNamedDotEnvHasNoSuffixOnAirflow3ButWorksOnAirflow2() throws {
        #expect(throws: LocalFilesystemError.self) { try LocalFilesystemFile.format(ofPath: "/p/.env") }
        #expect(try LocalFilesystemFile.format(ofPath: "/p/.env", rules: .airflow2) == .env)
        #expect(try LocalFilesystemFile.format(ofPath: "/p/x.YML") == .yaml)
    }

    @Test func airflow2TakesAListForSeveralValues() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let one = try dir.write("one.json", "{\"a\": [\"only\"], \"b\": 5}")
        let loaded = try LocalFilesystemFile.loadVariables(path: one.path, rules: .airflow2)
        #expect(loaded.map(\.value) == [.string("only"), .int("5")])
        let two = try dir.write("two.json", "{\"a\": [1, 2]}")
        #expect(throws: LocalFilesystemError.self) { try LocalFilesystemFile.loadVariables(path: two.path, rules: .airflow2) }
        #expect(try LocalFilesystemFile.loadVariables(path: two.path).first?.value == .list([.int("1"), .int("2")]))
    }

    @Test func hugeFilesLoadCompletely() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var env = ""
        var json = "{"
        for i in 0..<50_000 {
            env += "KEY_\(i)=value \(i)\n"
            json += (i == 0 ? "" : ",") + "\"k\(i)\": \(i)"
        }
        json += "}"
        let envFile = try dir.write("big.env", env)
        let jsonFile = try dir.write("big.json", json)
        let fromEnv = try LocalFilesystemFile.loadVariables(path: envFile.path)
        #expect(fromEnv.count == 50_000)
        #expect(fromEnv.last?.line == 50_000)
        let fromJSON = try LocalFilesystemFile.loadVariables(path: jsonFile.path)
        #expect(fromJSON.count == 50_000)
        #expect(fromJSON.last?.value == .int("49999"))
    }

    @Test func jsonErrorsReportCPythonsMessageAndLine() throws {
        let cases: [(String, String, Int)] = [
            ("{\"a\": 1,\n}", "Expecting property name enclosed in double quotes", 2),
            ("{\"a\" 1}", "Expecting ':' delimiter", 1),
            ("{\"a\": 1 \"b\": 2}", "Expecting ',' delimiter", 1),
            ("{\"a\": \"x\ny\"}", "Invalid control character at", 1),
            ("{\"a\": \"\\q\"}", "Invalid \\escape", 1),
            ("{\"a\": 1}\n\n[]", "Extra data", 3),
            ("{\"a\": \"unterminated}", "Unterminated string starting at", 1),
            ("{\"a\": [1,]}", "Expecting value", 1),
        ]
        for (text, message, line) in cases {
            do {
                _ = try PythonJSON.loads(text)
                Issue.record("\(text) must not parse")
            } catch let error as PythonJSON.DecodeError {
                #expect(error.msg == message, "\(text)")
                #expect(error.lineno == line, "\(text)")
            }
        }
    }
}
