import Foundation
import Testing
import Engine
import PythonCompat
@testable import AirflowAPI

/// Reading the metastore tier through real Airflow 3.3.2 (API v2) and 2.11.0 (API v1) servers.
@Suite("Metastore through Airflow's REST API: reading", .serialized, .oneAtATimeOnTheAirflowServers)
struct AirflowAPIReadingTests {
    static var servers: [RealAirflow] { get throws { [try RealAirflow.airflow3(), try RealAirflow.airflow2()] } }

    static func record(_ snapshot: TierSnapshot, _ kind: SecretKind, _ name: String) -> TierRecord? {
        snapshot.records.first { $0.kind == kind && $0.name == name }
    }

    @Test(arguments: [3, 2])
    func everyEntryIsReadPastThePageTheServerAllows(major: Int) async throws {
        let airflow = major == 3 ? try RealAirflow.airflow3() : try RealAirflow.airflow2()
        let prefix = RealAirflow.unique("page")
        // 130 of each: the servers allow 100 per page, so this needs a second page.
        for index in 0..<130 {
            let id = "\(prefix)_\(String(format: "%03d", index))"
            try await airflow.createConnection(id, ["conn_type": .string("http"), "host": .string("h\(index).example"),
                                                    "port": .integer(String(8000 + index))])
            try await airflow.createVariable(id, "value \(index)")
        }
        let readout = try await airflow.tier().read()
        let snapshot = readout.snapshot
        for index in [0, 99, 100, 129] {
            let id = "\(prefix)_\(String(format: "%03d", index))"
            let connection = try #require(Self.record(snapshot, .connection, id))
            guard case .present(.connection(let value)) = connection.state else { Issue.record("\(id): \(connection.state)"); continue }
            #expect(value.host == "h\(index).example")
            #expect(value.port == 8000 + index)
            #expect(Self.record(snapshot, .variable, id)?.state == .present(.variable("value \(index)")))
        }
        let ours = snapshot.records.filter { $0.name.hasPrefix(prefix) }
        #expect(ours.count == 260)
        // Each collection needs at least two pages of 100.
        #expect(readout.requests >= 4)
        // Other suites write to the same server meanwhile, which Strata rightly reports.
        #expect(readout.warnings.allSatisfy { $0.contains("changed while Strata read them") }, "\(readout.warnings)")
    }

    @Test func airflow3MasksAreHiddenFieldsNotValues() async throws {
        let airflow = try RealAirflow.airflow3()
        let id = RealAirflow.unique("masked")
        try await airflow.createConnection(id, [
            "conn_type": .string("http"), "host": .string("db.example"), "login": .string("etl"), "password": .string("s3cr3t-pw"),
            "extra": .string(#"{"token": "abc", "nested": {"api_key": "x", "n": 5}, "list": ["a"], "plain": "p"}"#),
        ])
        try await airflow.createVariable(id + "_password", "hunter2")
        try await airflow.createVariable(id + "_json", #"{"b":2,  "a":[1]}"#)
        try await airflow.createVariable(id + "_plain", "just text")
        let snapshot = try await airflow.tier().load()

        let connection = try #require(Self.record(snapshot, .connection, id))
        #expect(connection.hiddenFields.names == ["password", "extra.token", "extra.nested.api_key"])
        guard case .present(.connection(let value)) = connection.state else { Issue.record("\(connection.state)"); return }
        #expect(value.password == nil, "a masked password is not a value")
        #expect(value.login == "etl")

        let secretVariable = try #require(Self.record(snapshot, .variable, id + "_password"))
        #expect(secretVariable.hiddenFields.names == ["value"])

        let json = try #require(Self.record(snapshot, .variable, id + "_json"))
        #expect(json.state == .present(.variable(#"{"b": 2, "a": [1]}"#)), "Airflow 3 answers json.dumps(json.loads(value))")
        #expect(json.sourceAlteration.reserializedJSON)
        #expect(json.hiddenFields.isEmpty)

        let plain = try #require(Self.record(snapshot, .variable, id + "_plain"))
        #expect(plain.sourceAlteration.isNone)
        #expect(plain.state == .present(.variable("just text")))
    }

    @Test func airflow2NeverShowsPasswordsButShowsVariablesVerbatim() async throws {
        let airflow = try RealAirflow.airflow2()
        let id = RealAirflow.unique("v1")
        try await airflow.createConnection(id, [
            "conn_type": .string("http"), "host": .string("db.example"), "password": .string("s3cr3t-pw"),
            "extra": .string(#"{"token": "abc", "plain": "p"}"#),
        ])
        try await airflow.createVariable(id + "_password", "hunter2")
        try await airflow.createVariable(id + "_json", #"{"b":2,  "a":[1]}"#)
        let snapshot = try await airflow.tier().load()

        let connection = try #require(Self.record(snapshot, .connection, id))
        #expect(connection.hiddenFields.names == ["password", "extra.token"])
        guard case .present(.connection(let value)) = connection.state else { Issue.record("\(connection.state)"); return }
        #expect(value.host == "db.example")
        #expect(value.extra.flatMap { try? JSONValue.parsePython($0) }?.objectValue?["plain"] == .string("p"),
                "the extra comes from each connection's own GET: the list has none")
        #expect(Self.record(snapshot, .variable, id + "_password")?.state == .present(.variable("hunter2")),
                "Airflow 2's API does not mask variables")
        let json = try #require(Self.record(snapshot, .variable, id + "_json"))
        #expect(json.state == .present(.variable(#"{"b":2,  "a":[1]}"#)))
        #expect(json.sourceAlteration.isNone)
    }

    @Test func theTierSaysWhereItReads() throws {
        let airflow = try RealAirflow.airflow3()
        let tier = try airflow.tier()
        let host = URL(string: airflow.url)!.host!
        #expect(tier.descriptor.label.hasPrefix("metastore via REST API at \(host)"))
        #expect(tier.descriptor.detail.hasSuffix("/api/v2"))
    }

    // MARK: Failures

    @Test(arguments: [3, 2])
    func aWrongPasswordNamesTheCredentialNotTheSecret(major: Int) async throws {
        let airflow = major == 3 ? try RealAirflow.airflow3() : try RealAirflow.airflow2()
        let tier = try airflow.tier(airflow.deployment(password: "wrong-s3cr3t"))
        let error = await #expect(throws: TierError.self) { try await tier.load() }
        let message = error?.message ?? ""
        #expect(message.contains("refused"))
        #expect(message.contains("STRATA_TEST_API_PASSWORD"))
        #expect(!message.contains("wrong-s3cr3t"))
    }

    @Test func aForgedTokenOnAirflow3IsACredentialProblem() async throws {
        let airflow = try RealAirflow.airflow3()
        let deployment = airflow.deployment(signIn: .token(variable: "STRATA_TEST_TOKEN"),
                                            extraEnvironment: ["STRATA_TEST_TOKEN": "not-a-jwt-s3cr3t"])
        let error = await #expect(throws: TierError.self) { try await airflow.tier(deployment).load() }
        #expect(error?.message.contains("the token in STRATA_TEST_TOKEN") == true)
        #expect(error?.message.contains("not-a-jwt-s3cr3t") == false)
    }

    @Test(arguments: [3, 2])
    func aUserWithoutThePermissionIsToldSo(major: Int) async throws {
        let airflow = major == 3 ? try RealAirflow.airflow3() : try RealAirflow.airflow2()
        let tier = try airflow.tier(airflow.deployment(user: airflow.viewer, password: airflow.viewerPassword))
        let error = await #expect(throws: TierError.self) { try await tier.load() }
        #expect(error?.message.contains("HTTP 403") == true)
        #expect(error?.message.contains("permission") == true)
    }

    @Test(arguments: [3, 2])
    func theWrongAirflowVersionIsNamed(major: Int) async throws {
        let airflow = major == 3 ? try RealAirflow.airflow3() : try RealAirflow.airflow2()
        let other: AirflowVersion = major == 3 ? .v2 : .v3
        let deployment = airflow.deployment(airflow: other,
                                            signIn: .token(variable: "STRATA_TEST_TOKEN"), extraEnvironment: ["STRATA_TEST_TOKEN": "t"])
        let error = await #expect(throws: TierError.self) { try await airflow.tier(deployment).load() }
        let message = error?.message ?? ""
        #expect(message.contains("is Airflow \(major == 3 ? "3.3.2" : "2.11.0")"), "\(message)")
        #expect(message.contains("set `airflow: \(major)`"), "\(message)")
    }

    @Test func aMissingTokenVariableSaysWhichToExport() async throws {
        let airflow = try RealAirflow.airflow3()
        let deployment = airflow.deployment(signIn: .token(variable: "STRATA_NO_SUCH_TOKEN"))
        let error = await #expect(throws: TierError.self) { try await airflow.tier(deployment).load() }
        #expect(error?.message.contains("STRATA_NO_SUCH_TOKEN") == true)
        #expect(error?.message.contains("not set") == true)
    }

    @Test func aServerThatIsDownLeavesTheTierUnavailableWithTheReason() async throws {
        let airflow = try RealAirflow.airflow3()
        var deployment = airflow.deployment()
        deployment.api?.baseURL = URL(string: "http://127.0.0.1:9")!
        let started = ContinuousClock.now
        let error = await #expect(throws: TierError.self) { try await airflow.tier(deployment).load() }
        #expect(error?.message.contains("could not reach the Airflow API at 127.0.0.1:9") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
