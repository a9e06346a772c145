import Foundation
import Testing
import Engine
import Metastore
import TestSupport
@testable import Backends

/// Editing the metastore through the app's planner, executor and writer factory: copies of the
/// databases real Airflow 3.3.2 made (the fixtures themselves are never written) and a
/// database on the test PostgreSQL server, read back through `MetastoreTier`.
@Suite("Editing the metastore (SQLite fixtures, PostgreSQL)")
struct MetastoreEditTests {
    static let fixture = Fixtures.url("metastore/airflow-3.3.2.sqlite")
    static let noFernetFixture = Fixtures.url("metastore/airflow-3.3.2-nofernet.sqlite")

    static func fernetKeys() throws -> String {
        let data = try Data(contentsOf: Fixtures.url("metastore/expected.json"))
        let fernet = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["fernet"] as? [String: Any])
        return "\(try #require(fernet["K_NEW"] as? String)),\(try #require(fernet["K_OLD"] as? String))"
    }

    /// A writable copy of `database` and a deployment reading it with `fernetKey`.
    static func copy(_ database: URL, fernetKey: String?) throws -> (TemporaryDirectory, Deployment) {
        let directory = try TemporaryDirectory("strata-edit-metastore")
        let copy = try directory.copyWritable(database)
        var env: [String: String] = [:]
        if let fernetKey { env["AIRFLOW__CORE__FERNET_KEY"] = fernetKey }
        return (directory, Deployment(name: "fixture-copy", airflowVersion: .v3, environment: DeploymentEnvironment(env),
                                      metastoreURL: "sqlite://" + copy.path))
    }

    @Test func aCopyOfTheFixtureRoundTripsAndTheFixtureIsUntouched() async throws {
        let before = try Data(contentsOf: Self.fixture)
        let (directory, deployment) = try Self.copy(Self.fixture, fernetKey: try Self.fernetKeys())
        defer { directory.remove() }
        try await EditScenario.roundTrip(EditHarness(deployment: deployment), tier: .metastore, form: .fields, idPrefix: "edited_")
        #expect(try Data(contentsOf: Self.fixture) == before)
    }

    @Test func valuesAreEncryptedWithTheFirstKeyAndDescriptionsKept() async throws {
        let (directory, deployment) = try Self.copy(Self.fixture, fernetKey: try Self.fernetKeys())
        defer { directory.remove() }
        let harness = EditHarness(deployment: deployment)
        let tier = try MetastoreTier(deployment: deployment)
        let described = try #require(try await tier.read().variable("described")?.description)

        // Written under the old key; rewritten, it is encrypted with the first key (index 0).
        let outcome = await harness.apply(.set(.variable("old_key_var"), .variable("rotated-value-xyz", description: nil)), into: .metastore)
        #expect(outcome.error == nil, "\(outcome.error?.message ?? "")")
        let keep = await harness.apply(.set(.variable("described"), .variable("new text", description: nil)), into: .metastore)
        #expect(keep.error == nil, "\(keep.error?.message ?? "")")

        let readout = try await tier.read()
        let row = try #require(readout.variable("old_key_var"))
        #expect(row.isEncrypted)
        #expect(row.val?.contains("rotated-value-xyz") == false)
        let index = try #require(readout.variables.firstIndex { $0.key == "old_key_var" })
        #expect(readout.variableRecords[index].state == .present(.variable("rotated-value-xyz")))
        #expect(readout.variableRecords[index].metadata["encrypted_with"] == "0")
        #expect(readout.variable("described")?.description == described)

        let relabelled = await harness.apply(.set(.variable("described"), .variable("new text", description: "now documented")),
                                             into: .metastore)
        #expect(relabelled.error == nil, "\(relabelled.error?.message ?? "")")
        #expect(try await tier.read().variable("described")?.description == "now documented")
    }

    @Test func aFixedConnectionIsEncryptedAndWinsOverNothing() async throws {
        let (directory, deployment) = try Self.copy(Self.fixture, fernetKey: try Self.fernetKeys())
        defer { directory.remove() }
        let harness = EditHarness(deployment: deployment)
        var fixed = Connection(connType: "postgres", host: "fixed.example", login: "svc", password: "", schema: "db", port: 5433,
                               extra: #"{"sslmode": "verify-full"}"#, description: "fixed by Strata")
        let outcome = await harness.apply(.set(.connection("clear_conn"), .connection(fixed), form: .fields), into: .metastore)
        #expect(outcome.error == nil, "\(outcome.error?.message ?? "")")
        let row = try #require(try await MetastoreTier(deployment: deployment).read().connection("clear_conn"))
        #expect(row.password == nil)  // an empty password is stored as NULL, as Airflow stores it
        #expect(row.isExtraEncrypted)
        #expect(row.description == "fixed by Strata")
        fixed.password = nil
        EditScenario.expectSame(await harness.resolve(.connection("clear_conn")).value, fixed)

        let uri = await harness.apply(.set(.connection("clear_conn"), .connection(fixed), form: .uri), into: .metastore)
        #expect(uri.error?.kind == .invalid)
    }

    @Test func withoutAFernetKeyValuesAreStoredInClearAsAirflowDoes() async throws {
        let (directory, deployment) = try Self.copy(Self.noFernetFixture, fernetKey: nil)
        defer { directory.remove() }
        let outcome = await EditHarness(deployment: deployment)
            .apply(.set(.variable("clear_written"), .variable("visible", description: nil)), into: .metastore)
        #expect(outcome.error == nil, "\(outcome.error?.message ?? "")")
        let row = try #require(try await MetastoreTier(deployment: deployment).read().variable("clear_written"))
        #expect(row.isEncrypted == false)
        #expect(row.val == "visible")
    }

    @Test func aConcurrentChangeIsAConflictAndSurvives() async throws {
        let (directory, deployment) = try Self.copy(Self.fixture, fernetKey: try Self.fernetKeys())
        defer { directory.remove() }
        try await EditScenario.concurrentChange(EditHarness(deployment: deployment), tier: .metastore,
                                                other: EditScenario.writeBehindTheBack)
    }

    @Test func aChangeBetweenTheWritersReadAndItsTransactionIsRefusedByTheDatabase() async throws {
        let (directory, deployment) = try Self.copy(Self.fixture, fernetKey: try Self.fernetKeys())
        defer { directory.remove() }
        let tier = try MetastoreTier(deployment: deployment)
        let row = try #require(try await tier.read().variable("plain"))
        // Someone changes the row after it was read; a write expecting the row as read is refused.
        try await MetastoreWriter(tier: tier).setVariable("plain", value: "theirs", expecting: .unchanged(row))
        await #expect(throws: MetastoreError.self) {
            try await MetastoreWriter(tier: tier).setVariable("plain", value: "ours", expecting: .unchanged(row))
        }
        #expect(try await MetastoreTierWriter(tier: tier).read(.variable("plain")) == .present(.variable("theirs")))
    }

    // MARK: PostgreSQL

    @Test func aPostgreSQLMetastoreRoundTripsEncrypted() async throws {
        let database = try PostgresDatabase.create()
        defer { database.drop() }
        let deployment = Deployment(name: "pg", airflowVersion: .v3,
                                    environment: DeploymentEnvironment(["AIRFLOW__CORE__FERNET_KEY": try Self.fernetKeys()]),
                                    metastoreURL: database.url)
        let harness = EditHarness(deployment: deployment)
        try await EditScenario.roundTrip(harness, tier: .metastore, form: .fields)
        #expect(await harness.apply(.set(.variable("sealed"), .variable("pg-secret-value", description: "d")), into: .metastore).succeeded)
        let row = try #require(try await MetastoreTier(deployment: deployment).read().variable("sealed"))
        #expect(row.isEncrypted && row.val?.contains("pg-secret-value") == false && row.description == "d")
    }

    @Test func aPostgreSQLConcurrentChangeIsAConflictAndSurvives() async throws {
        let database = try PostgresDatabase.create()
        defer { database.drop() }
        let deployment = Deployment(name: "pg", airflowVersion: .v3,
                                    environment: DeploymentEnvironment(["AIRFLOW__CORE__FERNET_KEY": try Self.fernetKeys()]),
                                    metastoreURL: database.url)
        try await EditScenario.concurrentChange(EditHarness(deployment: deployment), tier: .metastore,
                                                other: EditScenario.writeBehindTheBack)
    }
}

/// A fresh database with Airflow 3's `variable` and `connection` tables on the test
/// PostgreSQL server (scripts/services/postgres.sh), dropped by `drop()`.
struct PostgresDatabase {
    let serverURL: String
    let name: String

    static func create() throws -> PostgresDatabase {
        let server = try TestServices.require(["STRATA_TEST_POSTGRES_URL"], service: "PostgreSQL", script: "postgres")[0]
        let name = "strata_edit_\(UUID().uuidString.prefix(8).lowercased())"
        try psql(server, "CREATE DATABASE \(name)")
        let database = PostgresDatabase(serverURL: server, name: name)
        try psql(database.url, """
        CREATE TABLE team (name VARCHAR(50) PRIMARY KEY);
        CREATE TABLE variable (id SERIAL NOT NULL, "key" VARCHAR(250) NOT NULL, val TEXT NOT NULL,
            description TEXT, is_encrypted BOOLEAN NOT NULL, team_name VARCHAR(50),
            CONSTRAINT variable_pkey PRIMARY KEY (id), CONSTRAINT variable_key_uq UNIQUE ("key"),
            CONSTRAINT variable_team_name_fkey FOREIGN KEY(team_name) REFERENCES team (name) ON DELETE SET NULL);
        CREATE TABLE connection (id SERIAL NOT NULL, conn_id VARCHAR(250) NOT NULL, conn_type VARCHAR(500) NOT NULL,
            description VARCHAR(5000), host VARCHAR(500), schema VARCHAR(500), login TEXT, port INTEGER,
            team_name VARCHAR(50), password TEXT, extra TEXT, is_encrypted BOOLEAN NOT NULL, is_extra_encrypted BOOLEAN NOT NULL,
            CONSTRAINT connection_pkey PRIMARY KEY (id), CONSTRAINT connection_conn_id_uq UNIQUE (conn_id),
            CONSTRAINT connection_team_name_fkey FOREIGN KEY(team_name) REFERENCES team (name) ON DELETE SET NULL);
        """)
        return database
    }

    var url: String {
        let base = serverURL.split(separator: "?", maxSplits: 1).first.map(String.init) ?? serverURL
        let withoutDatabase = base.range(of: "/", options: .backwards).map { String(base[..<$0.lowerBound]) } ?? base
        return withoutDatabase + "/" + name
    }

    func drop() {
        try? Self.psql(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs SQL through `psql`, stopping at the first error.
    static func psql(_ url: String, _ sql: String) throws {
        try PostgresScript.run(url, sql)
    }
}
