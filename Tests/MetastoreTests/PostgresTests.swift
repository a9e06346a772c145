import Engine
import Foundation
import Metastore
import Testing
import TestSupport

/// The metastore tier against a real PostgreSQL 15 server holding the fixture's rows.
@Suite(.serialized) struct PostgresTests {
    static func bothKeys() throws -> String { "\(try MetastoreFixture.keyNew),\(try MetastoreFixture.keyOld)" }

    static func deployment(_ url: String, fernetKey: String?, version: AirflowVersion = .v3, name: String = "pg",
                           extraEnv: [String: String] = [:]) -> Deployment {
        var env = extraEnv
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = url
        if let fernetKey { env["AIRFLOW__CORE__FERNET_KEY"] = fernetKey }
        return Deployment(name: name, airflowVersion: version, environment: DeploymentEnvironment(env))
    }

    static func fixtureReadout(_ key: String?) async throws -> MetastoreReadout {
        try await MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.mainDatabase, fernetKey: key)).read()
    }

    @Test("The fixture's rows read from PostgreSQL exactly as from the SQLite file real Airflow wrote, under every key setting")
    func readsFixtureRows() async throws {
        let database = try PostgresTestDatabase.create()
        defer { database.drop() }
        let fixture = try await Self.fixtureReadout(try Self.bothKeys())
        try database.load(variables: fixture.variables, connections: fixture.connections)
        for key in [try Self.bothKeys(), try MetastoreFixture.keyNew, try MetastoreFixture.keyOld, nil] {
            let sqlite = try await Self.fixtureReadout(key)
            let tier = try MetastoreTier(deployment: Self.deployment(database.url.replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://"), fernetKey: key))
            #expect(tier.descriptor.label == "metastore (postgresql)")
            #expect(!tier.descriptor.detail.contains("strata-test-password"))
            let readout = try await tier.read()
            #expect(readout.variables == sqlite.variables)
            #expect(readout.connections == sqlite.connections)
            #expect(readout.variableRecords == sqlite.variableRecords)
            #expect(readout.connectionRecords == sqlite.connectionRecords)
            #expect(readout.isAirflow3Schema)
            for row in readout.variables {
                #expect(tier.decoder.airflowAnswer(for: row) == sqlite.variables.first { $0.key == row.key }.map { MetastoreTier.sqliteAnswer(key, $0) })
            }
        }
        let expected = try MetastoreFixture.expected()
        let tier = try MetastoreTier(deployment: Self.deployment(database.url, fernetKey: try Self.bothKeys()))
        let snapshot = try await tier.load()
        for (connID, want) in expected["connections"] as! [String: [String: Any]] {
            guard case .present(.connection(let connection))? = snapshot.records.first(where: { $0.name == connID })?.state else {
                Issue.record("\(connID) missing from PostgreSQL")
                continue
            }
            #expect(MetastoreFixture.matches(connection, want), "\(connID)")
        }
    }

    @Test("TLS: sslmode=require encrypts to the test server; verify-full refuses its self-signed certificate")
    func tls() async throws {
        let database = try PostgresTestDatabase.create()
        defer { database.drop() }
        let fixture = try await Self.fixtureReadout("")
        try database.load(variables: Array(fixture.variables.prefix(2)), connections: [])
        let secured = try MetastoreTier(deployment: Self.deployment(database.url + "?sslmode=require", fernetKey: ""))
        #expect(secured.descriptor.detail.hasSuffix("sslmode=require"))
        #expect(try await secured.load().records.count == 2)
        let verified = try MetastoreTier(deployment: Self.deployment(database.url + "?sslmode=verify-full", fernetKey: "", name: "strict"))
        do {
            _ = try await verified.load()
            Issue.record("a self-signed certificate must fail verify-full")
        } catch let error as TierError {
            #expect(error.message.contains("deployment 'strict'") && error.message.contains("TLS handshake"), "\(error.message)")
            #expect(error.message.contains("sslrootcert"))
            #expect(!error.message.contains("strata-test-password"))
        }
    }

    @Test("Writes on PostgreSQL: create, update in place, conflict when changed meanwhile, delete")
    func writes() async throws {
        let database = try PostgresTestDatabase.create()
        defer { database.drop() }
        let fixture = try await Self.fixtureReadout(try Self.bothKeys())
        try database.load(variables: fixture.variables, connections: fixture.connections)
        let writer = try MetastoreWriter(deployment: Self.deployment(database.url, fernetKey: try Self.bothKeys()))
        let created = try await writer.setVariable("pg_new", value: "ünïcode value", description: "d", expecting: .absent)
        #expect(created.isEncrypted && created.id == 14, "the id continues the fixture's sequence")
        let conn = Connection(connType: "postgres", host: "h", login: "u", password: "pw'\"\\", port: 5432, extra: #"{"a": 1}"#)
        let createdConn = try await writer.setConnection("pg_conn", conn, expecting: .absent)
        let read = try await writer.tier.read()
        #expect(read.variableRecords.first { $0.name == "pg_new" }?.state == .present(.variable("ünïcode value")))
        #expect(read.connectionRecords.first { $0.name == "pg_conn" }?.state == .present(.connection(conn)))

        // Someone else (Airflow, psql) changes the row after Strata read it.
        try database.execute("UPDATE variable SET description = 'changed elsewhere' WHERE \"key\" = 'pg_new'")
        do {
            try await writer.setVariable("pg_new", value: "mine", expecting: .unchanged(created))
            Issue.record("a changed row must conflict")
        } catch let error as MetastoreError {
            #expect(error.kind == .conflict && error.message.contains("'pg_new'") && error.message.contains("deployment 'pg'"))
        }
        let current = try #require(try await writer.tier.read().variable("pg_new"))
        #expect(current.description == "changed elsewhere")
        let updated = try await writer.setVariable("pg_new", value: "mine", description: "changed elsewhere", expecting: .unchanged(current))
        #expect(updated.id == created.id)
        await #expect(throws: MetastoreError.self) { try await writer.setVariable("pg_new", value: "x", expecting: .absent) }
        var changed = conn
        changed.password = nil
        changed.extra = nil
        let updatedConn = try await writer.setConnection("pg_conn", changed, expecting: .unchanged(createdConn))
        #expect(updatedConn.password == nil && !updatedConn.isEncrypted && updatedConn.extra == nil && !updatedConn.isExtraEncrypted)
        try await writer.deleteConnection("pg_conn", expecting: .unchanged(updatedConn))
        try await writer.deleteVariable("pg_new", expecting: .unchanged(updated))
        let after = try await writer.tier.read()
        #expect(after.variables == fixture.variables && after.connections == fixture.connections)
    }

    @Test("An Airflow 2 schema (no team_name, nullable flags) in a custom sql_alchemy_schema")
    func airflow2SchemaInCustomSchema() async throws {
        let database = try PostgresTestDatabase.create(airflow2Schema: true, tableSchema: "airflow_meta")
        defer { database.drop() }
        let fixture = try await Self.fixtureReadout(try Self.bothKeys())
        try database.load(variables: fixture.variables, connections: fixture.connections, airflow2Schema: true, tableSchema: "airflow_meta")
        try database.execute("INSERT INTO airflow_meta.connection (conn_id, conn_type, is_encrypted, is_extra_encrypted) VALUES ('null_flags', 'http', NULL, NULL)")
        let deployment = Self.deployment(database.url, fernetKey: try Self.bothKeys(), version: .v2,
                                         extraEnv: ["AIRFLOW__DATABASE__SQL_ALCHEMY_SCHEMA": "airflow_meta"])
        let tier = try MetastoreTier(deployment: deployment)
        let readout = try await tier.read()
        #expect(!readout.isAirflow3Schema && readout.warnings.isEmpty)
        #expect(readout.variableRecords.first { $0.name == "old_key_var" }?.state == .present(.variable("encrypted with the old key")))
        #expect(readout.connectionRecords.first { $0.name == "null_flags" }?.state == .present(.connection(Connection(connType: "http"))))
        let writer = try MetastoreWriter(deployment: deployment)
        let row = try await writer.setConnection("v2_conn", Connection(connType: "http", password: "pw"), expecting: .absent)
        #expect(row.isEncrypted && row.teamName == nil)
        let noSchema = try MetastoreTier(deployment: Self.deployment(database.url, fernetKey: nil, name: "v2"))
        do {
            _ = try await noSchema.load()
            Issue.record("without the schema setting the tables are not found")
        } catch let error as TierError {
            #expect(error.message.contains("deployment 'v2'") && error.message.contains("no `variable` and `connection` tables"))
        }
    }

    @Test("Refused password, missing database, server down: clear messages, never the password")
    func connectionFailures() async throws {
        let server = try PostgresTestDatabase.serverURL()
        let wrongPassword = server.replacingOccurrences(of: "strata-test-password", with: "not-the-password")
        let refused = await Self.loadError(Self.deployment(wrongPassword, fernetKey: nil, name: "prod"))
        #expect(refused?.contains("deployment 'prod'") == true)
        #expect(refused?.contains("refused the login of user 'strata'") == true)
        #expect(refused?.contains("not-the-password") == false)

        let missing = server.replacingOccurrences(of: "/airflow", with: "/no_such_db")
        let missingMessage = await Self.loadError(Self.deployment(missing, fernetKey: nil))
        #expect(missingMessage?.contains("has no database 'no_such_db'") == true)
        #expect(missingMessage?.contains("strata-test-password") == false)

        let port = try Self.closedPort()
        let down = "postgresql://strata:strata-test-password@127.0.0.1:\(port)/airflow"
        let downMessage = await Self.loadError(Self.deployment(down, fernetKey: nil, name: "offline"))
        #expect(downMessage?.contains("deployment 'offline'") == true)
        #expect(downMessage?.contains("127.0.0.1:\(port) cannot be reached") == true)
        #expect(downMessage?.contains("strata-test-password") == false)

        do {
            try await MetastoreWriter(deployment: Self.deployment(wrongPassword, fernetKey: nil)).setVariable("x", value: "y", expecting: .absent)
            Issue.record("a refused login cannot write")
        } catch let error as MetastoreError {
            #expect(error.kind == .authentication)
        }
    }

    static func loadError(_ deployment: Deployment) async -> String? {
        do {
            _ = try await MetastoreTier(deployment: deployment).load()
            return nil
        } catch let error as TierError {
            return error.message
        } catch {
            return "unexpected \(type(of: error))"
        }
    }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        try FreePort.pick()
    }
}

extension MetastoreTier {
    /// The Airflow answer the SQLite fixture gives for the same row and key setting.
    static func sqliteAnswer(_ key: String?, _ row: MetastoreVariableRow) -> AirflowVariableAnswer {
        MetastoreDecoder(fernet: key.map { FernetSetting(setting: $0) } ?? FernetSetting(state: .none), airflowVersion: .v3)
            .airflowAnswer(for: row)
    }
}
