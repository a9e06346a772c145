import Foundation
import Testing
import Editing
import Engine
import PythonCompat
@testable import AirflowAPI

/// Writing the metastore through real Airflow 3.3.2 (API v2) and 2.11.0 (API v1) servers. What
/// the server stored is checked with its own `airflow` CLI, which reads the database directly.
@Suite("Metastore through Airflow's REST API: writing", .serialized, .oneAtATimeOnTheAirflowServers)
struct AirflowAPIWritingTests {
    static func server(_ major: Int) throws -> RealAirflow {
        major == 3 ? try RealAirflow.airflow3() : try RealAirflow.airflow2()
    }

    static func writer(_ airflow: RealAirflow) throws -> AirflowAPITierWriter {
        AirflowAPITierWriter(tier: try airflow.tier())
    }

    static func connection(_ state: EntryState) throws -> Connection {
        guard case .present(.connection(let connection)) = state else { throw RealAirflow.Missing(description: "no connection: \(state)") }
        return connection
    }

    /// The extra as `airflow connections get -o json` shows it (`extra_dejson`).
    static func extra(_ stored: JSONObject?) -> JSONObject? {
        stored?["extra_dejson"]?.objectValue
    }

    @Test(arguments: [3, 2])
    func changingTheHostLeavesTheHiddenPasswordAndExtraIntact(major: Int) async throws {
        let airflow = try Self.server(major)
        let id = RealAirflow.unique("keep")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "host": .string("old.example"),
                                                "password": .string("s3cr3t-pw"), "extra": .string(#"{"token": "abc", "plain": "p"}"#)])
        let writer = try Self.writer(airflow)
        let key = SecretKey(.connection, id)
        let base = try await writer.read(key)
        var edited = try Self.connection(base)
        #expect(edited.password == nil)
        edited.host = "new.example"
        let receipt = try await writer.apply(.set(key, .connection(edited), form: .fields), expecting: base)
        #expect(!receipt.created)

        let stored = try #require(try await airflow.storedConnection(id))
        #expect(stored["host"] == .string("new.example"))
        #expect(stored["password"] == .string("s3cr3t-pw"), "the hidden password was never sent, so it is kept")
        #expect(Self.extra(stored)?["token"] == .string("abc"))
    }

    @Test(arguments: [3, 2])
    func entriesAreCreatedAndDeleted(major: Int) async throws {
        let airflow = try Self.server(major)
        let writer = try Self.writer(airflow)
        let id = RealAirflow.unique("new")
        let connectionKey = SecretKey(.connection, id)
        let connection = Connection(connType: "http", host: "h.example", login: "u", password: "pw-s3cr3t", port: 8080,
                                    extra: #"{"x": 1}"#, description: "made by Strata")
        let created = try await writer.apply(.set(connectionKey, .connection(connection), form: .fields), expecting: .absent)
        #expect(created.created)
        let stored = try #require(try await airflow.storedConnection(id))
        #expect(stored["password"] == .string("pw-s3cr3t"))
        #expect(stored["port"] == .integer("8080") || stored["port"] == .string("8080"))
        #expect(stored["description"] == .string("made by Strata"))

        let variableKey = SecretKey(.variable, id)
        _ = try await writer.apply(.set(variableKey, .variable(" 5 ", description: "d")), expecting: .absent)
        #expect(try await airflow.storedVariable(id) == " 5 ", "stored verbatim, whatever the API shows of it")

        let baseConnection = try await writer.read(connectionKey)
        _ = try await writer.apply(.delete(connectionKey), expecting: baseConnection)
        #expect(try await writer.read(connectionKey) == .absent)
        let baseVariable = try await writer.read(variableKey)
        _ = try await writer.apply(.delete(variableKey), expecting: baseVariable)
        #expect(try await writer.read(variableKey) == .absent)
    }

    @Test(arguments: [3, 2])
    func aChangeMadeSinceTheReadIsAConflictAndNothingIsWritten(major: Int) async throws {
        let airflow = try Self.server(major)
        let id = RealAirflow.unique("race")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "host": .string("first.example")])
        let writer = try Self.writer(airflow)
        let key = SecretKey(.connection, id)
        let base = try await writer.read(key)
        var body = JSONObject()
        body["connection_id"] = .string(id)
        body["conn_type"] = .string("http")
        body["host"] = .string("someone-else.example")
        let query = major == 3 ? "?update_mask=host" : "?update_mask=host"
        #expect(try await airflow.admin("PATCH", "/connections/\(id)\(query)", .object(body)).status == 200)

        var edited = try Self.connection(base)
        edited.host = "mine.example"
        let error = await #expect(throws: EditError.self) {
            try await writer.apply(.set(key, .connection(edited), form: .fields), expecting: base)
        }
        #expect(error?.kind == .conflict)
        #expect(try await airflow.storedConnection(id)?["host"] == .string("someone-else.example"))
    }

    @Test func airflow3RestoresAHiddenExtraKeyLeftAsItsMask() async throws {
        let airflow = try RealAirflow.airflow3()
        let id = RealAirflow.unique("merge")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "extra": .string(#"{"token": "abc", "plain": "p"}"#)])
        let writer = try Self.writer(airflow)
        let key = SecretKey(.connection, id)
        let base = try await writer.read(key)
        var edited = try Self.connection(base)
        #expect(edited.extra == #"{"token": "***", "plain": "p"}"#)
        edited.extra = #"{"token": "***", "plain": "q"}"#
        _ = try await writer.apply(.set(key, .connection(edited), form: .fields), expecting: base)
        let extra = Self.extra(try await airflow.storedConnection(id))
        #expect(extra?["token"] == .string("abc"), "Airflow 3 merges a *** back into the stored secret")
        #expect(extra?["plain"] == .string("q"))
    }

    @Test func airflow2RefusesAnExtraThatStillHoldsAMask() async throws {
        let airflow = try RealAirflow.airflow2()
        let id = RealAirflow.unique("literal")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "extra": .string(#"{"token": "abc", "plain": "p"}"#)])
        let writer = try Self.writer(airflow)
        let key = SecretKey(.connection, id)
        let base = try await writer.read(key)
        var edited = try Self.connection(base)
        edited.extra = #"{"token": "***", "plain": "q"}"#
        let error = await #expect(throws: EditError.self) {
            try await writer.apply(.set(key, .connection(edited), form: .fields), expecting: base)
        }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("extra.token") == true)
        #expect(Self.extra(try await airflow.storedConnection(id))?["token"] == .string("abc"), "Airflow 2 would have stored *** literally")
    }

    @Test func aDescriptionEditLeavesAHiddenOrReserialisedValueAsStored() async throws {
        let airflow = try RealAirflow.airflow3()
        let writer = try Self.writer(airflow)
        for (key, value) in [(RealAirflow.unique("v") + "_password", "hunter2"), (RealAirflow.unique("v") + "_json", #"{"b":2,  "a":[1]}"#)] {
            try await airflow.createVariable(key, value)
            let secretKey = SecretKey(.variable, key)
            let base = try await writer.read(secretKey)
            guard case .present(.variable(let shown)) = base else { Issue.record("\(base)"); continue }
            #expect(shown != value, "the API shows a mask or a re-serialised form")
            _ = try await writer.apply(.set(secretKey, .variable(shown, description: "described")), expecting: base)
            #expect(try await airflow.storedVariable(key) == value, "only the description was sent")
            let (_, reply) = try await airflow.admin("GET", "/variables/\(key)")
            #expect(reply?.objectValue?["description"] == .string("described"))
        }
    }

    @Test(arguments: [3, 2])
    func aPasswordTheAPICannotClearIsRefused(major: Int) async throws {
        let airflow = try Self.server(major)
        let id = RealAirflow.unique("clear")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "password": .string("s3cr3t-pw")])
        let writer = try Self.writer(airflow)
        let key = SecretKey(.connection, id)
        let base = try await writer.read(key)
        var edited = try Self.connection(base)
        edited.password = ""
        let error = await #expect(throws: EditError.self) {
            try await writer.apply(.set(key, .connection(edited), form: .fields), expecting: base)
        }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("cannot clear") == true)
        #expect(try await airflow.storedConnection(id)?["password"] == .string("s3cr3t-pw"))
    }
}
