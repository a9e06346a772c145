@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// `fixtures/env-vectors.jsonl`: lookups through Airflow 3.3.2's EnvironmentVariablesBackend
/// (core: env then an empty metastore; SDK: env only), reproduced through `EnvironmentTier`.
@Suite("Environment tier (recorded from Airflow 3.3.2)")
struct EnvironmentTierTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var id: String
        var record: PythonDict
        var testDescription: String { id }
    }

    static let vectors: [Vector] = {
        guard let lines = try? Fixtures.jsonLines("env-vectors.jsonl") else { return [] }
        return lines.compactMap { line in
            guard case .dict(let d)? = try? PythonJSON.loads(line).value, let id = d[string: "id"]?.stringValue else { return nil }
            return Vector(id: id, record: d)
        }
    }()

    @Test func everyVectorIsRead() {
        #expect(Self.vectors.count == 55)
    }

    @Test("core (server) lookups", arguments: vectors)
    func core(_ vector: Vector) throws {
        try check(vector, side: "core", dialect: .core)
    }

    @Test("Task SDK lookups", arguments: vectors)
    func sdk(_ vector: Vector) throws {
        try check(vector, side: "sdk", dialect: .sdk)
    }

    func check(_ vector: Vector, side: String, dialect: ConnectionDialect) throws {
        guard case .dict(let env)? = vector.record[string: "env"], case .dict(let lookup)? = vector.record[string: "lookup"],
              case .dict(let expected)? = vector.record[string: side] else {
            Issue.record("malformed vector")
            return
        }
        var environment = DeploymentEnvironment()
        for (name, value) in env.pairs { environment.set(name.pythonStr, value.pythonStr, origin: .inline) }
        let tier = EnvironmentTier(environment: environment, dialect: dialect)
        let outcome = Self.lookUp(lookup, in: tier, side: side)
        if let error = expected[string: "error"]?.stringValue {
            #expect(outcome.error?.className == error)
            #expect(outcome.error?.message == expected[string: "message"]?.stringValue)
            return
        }
        #expect(outcome.error == nil, "unexpected \(outcome.error?.className ?? "")")
        if lookup[string: "kind"] == .string("variable") {
            #expect(outcome.value == expected[string: "value"])
        } else if let connection = outcome.connection {
            #expect(outcome.connID.map(PythonValue.string) ?? PythonValue.none == expected[string: "conn_id"])
            for field in Connection.fieldNames {
                #expect(LocalFilesystemFixtureTests.field(field, of: connection) == expected[string: field], "\(field)")
            }
            if case .string(let uri)? = expected[string: "uri"] {
                #expect((try? connection.uri(dialect: dialect)) == uri)
            }
        }
    }

    struct Outcome {
        var value: PythonValue?
        var connection: Connection?
        var connID: String?
        var error: (className: String, message: String)?
    }

    /// `Variable.get` / `Connection.get…` reduced to the environment tier plus an empty
    /// metastore (core) or nothing (SDK): what the vectors recorded.
    static func lookUp(_ lookup: PythonDict, in tier: EnvironmentTier, side: String) -> Outcome {
        let records = tier.snapshot().records
        if lookup[string: "kind"] == .string("variable") {
            let key = lookup[string: "key"]?.stringValue ?? ""
            let deserialize = lookup[string: "deserialize_json"] == .bool(true)
            let name = tier.lookupName(for: .variable(key)).name
            let record = records.first { $0.kind == .variable && $0.name == name }
            var text: String?
            switch record?.state {
            case .present(.variable(let value))?: text = value
            case .empty?: text = ""
            default: text = nil
            }
            func missing() -> Outcome {
                if let fallback = lookup[string: "default"] { return Outcome(value: fallback) }
                return side == "core"
                    ? Outcome(error: ("KeyError", "'Variable \(key) does not exist.'"))
                    : Outcome(error: ("AirflowRuntimeError", "VARIABLE_NOT_FOUND: {'message': 'Variable \(key) not found'}"))
            }
            guard let text else { return missing() }
            guard deserialize else { return Outcome(value: .string(text)) }
            do {
                return Outcome(value: PythonValue(try JSONValue.parsePython(text)))
            } catch let error as AirflowError {
                // The SDK reports invalid JSON as "not found"; core raises it.
                return side == "core" ? Outcome(error: (error.className, error.message)) : missing()
            } catch {
                return Outcome(error: ("?", ""))
            }
        }
        let id = lookup[string: "conn_id"]?.stringValue ?? ""
        let name = tier.lookupName(for: .connection(id)).name
        let record = records.first { $0.kind == .connection && $0.name == name }
        guard case .present(.connection(let connection))? = record?.state else {
            return Outcome(error: ("AirflowNotFoundException", "The conn_id `\(id)` isn't defined"))
        }
        let connID = side == "core" ? LocalFilesystemFile.sanitizedConnID(id) : id
        return Outcome(connection: connection, connID: connID)
    }

    // MARK: Listing

    @Test func listingSuggestsLowerCaseIdsThatReachTheSameName() throws {
        let tier = EnvironmentTier(environment: DeploymentEnvironment([
            "AIRFLOW_VAR_MY_VAR": "x", "AIRFLOW_CONN_STRASSE": "http://h", "PATH": "/bin",
        ]), dialect: .core)
        let records = tier.snapshot().records
        #expect(records.map(\.name) == ["AIRFLOW_CONN_STRASSE", "AIRFLOW_VAR_MY_VAR"])
        #expect(records.map(\.suggestedID) == ["strasse", "my_var"])
        for record in records {
            #expect(tier.lookupName(for: SecretKey(record.kind, record.suggestedID)) == .name(record.name))
        }
    }

    @Test func statesFollowAirflow() throws {
        let tier = EnvironmentTier(environment: DeploymentEnvironment([
            "AIRFLOW_VAR_EMPTY": "", "AIRFLOW_CONN_EMPTY": "", "AIRFLOW_CONN_BLANK": " \u{3000}\t",
            "AIRFLOW_CONN_BAD": "http://user:s3cr3t-pw@h:99999/x", "AIRFLOW_VAR_RAW": "  keep  ",
        ]), dialect: .sdk)
        let byName = Dictionary(uniqueKeysWithValues: tier.snapshot().records.map { ($0.name, $0) })
        #expect(byName["AIRFLOW_VAR_EMPTY"]?.state == .empty)
        #expect(byName["AIRFLOW_CONN_EMPTY"]?.state == .empty)
        #expect(byName["AIRFLOW_CONN_BLANK"]?.state == .unreadable(reason: "whitespace-only value; Airflow treats it as not found"))
        #expect(byName["AIRFLOW_VAR_RAW"]?.state == .present(.variable("  keep  ")))
        #expect(byName["AIRFLOW_VAR_RAW"]?.rawText == "  keep  ")
        guard case .unreadable(let reason)? = byName["AIRFLOW_CONN_BAD"]?.state else {
            Issue.record("a bad port must make the connection unreadable")
            return
        }
        #expect(reason.contains("ValueError"))
        #expect(!reason.contains("s3cr3t-pw"), "the reason must not quote the value")
    }

    @Test func teamScopedNamesAreNotTakenForGlobalIds() {
        let tier = EnvironmentTier(environment: DeploymentEnvironment([
            "AIRFLOW_VAR__ANALYTICS___REGION": "eu", "AIRFLOW_CONN__DATA_ENG___WAREHOUSE": "postgres://h/db",
        ]), dialect: .core)
        let records = tier.snapshot().records
        #expect(records.map(\.suggestedID) == ["warehouse", "region"])
        #expect(records.map { $0.metadata["team"] } == ["DATA_ENG", "ANALYTICS"])
    }

    @Test func lowerCaseNamesAreListedAsUnreachableWithAWarning() {
        let tier = EnvironmentTier(environment: DeploymentEnvironment(["AIRFLOW_VAR_foo": "bar"]), dialect: .core)
        let snapshot = tier.snapshot()
        #expect(snapshot.records.first?.metadata["unreachable"] != nil)
        #expect(snapshot.warnings.count == 1)
        #expect(snapshot.warnings.first?.contains("AIRFLOW_VAR_FOO") == true)
        #expect(tier.lookupName(for: .variable("foo")) == .name("AIRFLOW_VAR_FOO"))
    }

    @Test func originsBecomeMetadata() {
        var environment = DeploymentEnvironment()
        environment.set("AIRFLOW_VAR_A", "1", origin: .file(path: "/p/.env", line: 7))
        let record = EnvironmentTier(environment: environment, dialect: .core).snapshot().records[0]
        #expect(record.metadata["file"] == "/p/.env")
        #expect(record.metadata["line"] == "7")
    }

    @Test func loadingAHundredThousandEntriesKeepsEveryOne() async throws {
        var variables: [String: String] = [:]
        for i in 0..<100_000 { variables["AIRFLOW_VAR_K\(i)"] = "v\(i)" }
        let snapshot = try await EnvironmentTier(environment: DeploymentEnvironment(variables), dialect: .core).load()
        #expect(snapshot.records.count == 100_000)
    }
}
