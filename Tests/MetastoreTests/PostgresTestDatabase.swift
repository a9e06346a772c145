import Foundation
import Metastore
import Testing
import TestSupport

/// A fresh database on the test PostgreSQL server (started by `scripts/services/postgres.sh`),
/// with Airflow's `variable` and `connection` tables, dropped by `drop()`.
struct PostgresTestDatabase {
    let serverURL: String
    let name: String

    /// The server from `STRATA_TEST_POSTGRES_URL`; a test without it fails, it does not skip.
    static func serverURL() throws -> String {
        try #require(ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 },
                     "STRATA_TEST_POSTGRES_URL is not set: run scripts/test, which starts PostgreSQL (or run scripts/services/postgres.sh start and source /tmp/strata-services.env)")
    }

    static func create(airflow2Schema: Bool = false, tableSchema: String? = nil) throws -> PostgresTestDatabase {
        let server = try serverURL()
        let name = "strata_test_\(UUID().uuidString.prefix(8).lowercased())"
        try psql(server, "CREATE DATABASE \(name)")
        let database = PostgresTestDatabase(serverURL: server, name: name)
        let prefix = tableSchema.map { "\"\($0)\"." } ?? ""
        var ddl = tableSchema.map { "CREATE SCHEMA \"\($0)\";\n" } ?? ""
        if airflow2Schema {
            ddl += """
            CREATE TABLE \(prefix)variable (id SERIAL PRIMARY KEY, "key" VARCHAR(250) UNIQUE, val TEXT,
                description TEXT, is_encrypted BOOLEAN);
            CREATE TABLE \(prefix)connection (id SERIAL PRIMARY KEY, conn_id VARCHAR(250) NOT NULL UNIQUE,
                conn_type VARCHAR(500) NOT NULL, description TEXT, host VARCHAR(500), schema VARCHAR(500), login TEXT,
                password TEXT, port INTEGER, is_encrypted BOOLEAN, is_extra_encrypted BOOLEAN, extra TEXT);
            """
        } else {
            ddl += """
            CREATE TABLE \(prefix)team (name VARCHAR(50) PRIMARY KEY);
            CREATE TABLE \(prefix)variable (id SERIAL NOT NULL, "key" VARCHAR(250) NOT NULL, val TEXT NOT NULL,
                description TEXT, is_encrypted BOOLEAN NOT NULL, team_name VARCHAR(50),
                CONSTRAINT variable_pkey PRIMARY KEY (id), CONSTRAINT variable_key_uq UNIQUE ("key"),
                CONSTRAINT variable_team_name_fkey FOREIGN KEY(team_name) REFERENCES \(prefix)team (name) ON DELETE SET NULL);
            CREATE TABLE \(prefix)connection (id SERIAL NOT NULL, conn_id VARCHAR(250) NOT NULL, conn_type VARCHAR(500) NOT NULL,
                description VARCHAR(5000), host VARCHAR(500), schema VARCHAR(500), login TEXT, port INTEGER,
                team_name VARCHAR(50), password TEXT, extra TEXT, is_encrypted BOOLEAN NOT NULL, is_extra_encrypted BOOLEAN NOT NULL,
                CONSTRAINT connection_pkey PRIMARY KEY (id), CONSTRAINT connection_conn_id_uq UNIQUE (conn_id),
                CONSTRAINT connection_team_name_fkey FOREIGN KEY(team_name) REFERENCES \(prefix)team (name) ON DELETE SET NULL);
            """
        }
        try psql(database.url, ddl)
        return database
    }

    /// The server URL pointing at this database.
    var url: String {
        let base = serverURL.split(separator: "?", maxSplits: 1).first.map(String.init) ?? serverURL
        let withoutDatabase = base.range(of: "/", options: .backwards).map { String(base[..<$0.lowerBound]) } ?? base
        return withoutDatabase + "/" + name
    }

    /// Copies the fixture rows, column for column (ciphertext included), keeping their ids.
    func load(variables: [MetastoreVariableRow], connections: [MetastoreConnectionRow], airflow2Schema: Bool = false,
              tableSchema: String? = nil) throws {
        let prefix = tableSchema.map { "\"\($0)\"." } ?? ""
        var sql = ""
        for v in variables {
            let team = airflow2Schema ? "" : ", team_name"
            let teamValue = airflow2Schema ? "" : ", \(Self.literal(v.teamName))"
            sql += "INSERT INTO \(prefix)variable (id, \"key\", val, description, is_encrypted\(team)) VALUES (\(v.id), \(Self.literal(v.key)), \(Self.literal(v.val)), \(Self.literal(v.description)), \(v.isEncrypted)\(teamValue));\n"
        }
        for c in connections {
            sql += "INSERT INTO \(prefix)connection (id, conn_id, conn_type, description, host, schema, login, password, port, extra, is_encrypted, is_extra_encrypted) VALUES (\(c.id), \(Self.literal(c.connID)), \(Self.literal(c.connType)), \(Self.literal(c.description)), \(Self.literal(c.host)), \(Self.literal(c.schema)), \(Self.literal(c.login)), \(Self.literal(c.password)), \(c.port.map(String.init) ?? "NULL"), \(Self.literal(c.extra)), \(c.isEncrypted), \(c.isExtraEncrypted));\n"
        }
        for table in ["variable", "connection"] {
            sql += "SELECT setval(pg_get_serial_sequence('\(prefix)\(table)', 'id'), (SELECT max(id) FROM \(prefix)\(table)));\n"
        }
        try Self.psql(url, sql)
    }

    func execute(_ sql: String) throws { try Self.psql(url, sql) }

    func drop() {
        try? Self.psql(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func literal(_ text: String?) -> String {
        guard let text else { return "NULL" }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Runs SQL through `psql`, stopping at the first error.
    static func psql(_ url: String, _ sql: String) throws {
        try PostgresScript.run(url, sql)
    }
}
