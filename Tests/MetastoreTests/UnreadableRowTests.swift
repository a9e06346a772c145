import Engine
import Foundation
import GRDB
import Metastore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Rows that do not fit Airflow's model — a NULL key or conn_id, a value of the wrong type, text
/// that is not UTF-8, a port no integer can hold — are reported row by row, with the column and
/// what it held; they never stop the read or crash Strata, and a write never guesses over them.
@Suite(.serialized) struct UnreadableRowTests {
    /// A SQLite metastore with Airflow 2's lenient columns (nullable key, untyped port) holding
    /// one good row of each kind next to hostile ones.
    static func hostileSQLite() throws -> (TemporaryDirectory, Deployment) {
        let directory = try TemporaryDirectory("strata-hostile")
        let path = directory.url.appendingPathComponent("airflow.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE variable (id INTEGER PRIMARY KEY, "key" VARCHAR(250), val TEXT, description TEXT, is_encrypted BOOLEAN);
                CREATE TABLE connection (id INTEGER PRIMARY KEY, conn_id VARCHAR(250), conn_type VARCHAR(500), description TEXT,
                    host VARCHAR(500), schema VARCHAR(500), login TEXT, password TEXT, port, is_encrypted BOOLEAN,
                    is_extra_encrypted BOOLEAN, extra TEXT);
                INSERT INTO variable VALUES (1, 'good', 'value', NULL, 0);
                INSERT INTO variable VALUES (2, NULL, 'value of a keyless row', NULL, 0);
                INSERT INTO variable VALUES (3, 'not_utf8', CAST(X'C328FF' AS TEXT), NULL, 0);
                INSERT INTO variable VALUES (4, 'text_flag', 'value', NULL, 'yes');
                INSERT INTO variable VALUES (5, 'blob_value', X'00FF', NULL, 0);
                INSERT INTO variable VALUES (6, 'nul_inside', CAST(X'610062' AS TEXT), NULL, 0);
                INSERT INTO variable VALUES (7, X'FFFE', 'value under a binary key', NULL, 0);
                INSERT INTO connection VALUES (1, 'ok', 'http', NULL, 'h', NULL, NULL, NULL, 80, 0, 0, NULL);
                INSERT INTO connection VALUES (2, NULL, 'http', NULL, 'h', NULL, NULL, NULL, 80, 0, 0, NULL);
                INSERT INTO connection VALUES (3, 'text_port', 'http', NULL, 'h', NULL, NULL, NULL, 'eighty', 0, 0, NULL);
                INSERT INTO connection VALUES (4, 'huge_port', 'http', NULL, 'h', NULL, NULL, NULL, 1e30, 0, 0, NULL);
                INSERT INTO connection VALUES (5, 'negative_port', 'http', NULL, 'h', NULL, NULL, NULL, -1, 0, 0, NULL);
                INSERT INTO connection VALUES (6, 'bad_host', 'http', NULL, CAST(X'FF' AS TEXT), NULL, NULL, NULL, 80, 0, 0, NULL);
                INSERT INTO connection VALUES (7, 'blob_type', X'00', NULL, 'h', NULL, NULL, NULL, 80, 0, 0, NULL);
                """)
        }
        let deployment = Deployment(name: "hostile", airflowVersion: .v2, metastoreURL: "sqlite://" + path)
        return (directory, deployment)
    }

    private func reason(_ snapshot: TierSnapshot, _ name: String) -> String? {
        guard case .unreadable(let reason)? = snapshot.records.first(where: { $0.name == name })?.state else { return nil }
        return reason
    }

    @Test("SQLite: every hostile row becomes an unreadable record (or, without a key, a warning) naming the column; good rows still read")
    func sqliteHostileRows() async throws {
        let (directory, deployment) = try Self.hostileSQLite()
        defer { directory.remove() }
        let snapshot = try await MetastoreTier(deployment: deployment).load()

        #expect(snapshot.records.first { $0.name == "good" }?.state == .present(.variable("value")))
        #expect(snapshot.records.first { $0.name == "ok" }.map { if case .present = $0.state { true } else { false } } == true)
        #expect(reason(snapshot, "not_utf8")?.contains("val holds bytes that are not valid UTF-8") == true)
        #expect(reason(snapshot, "text_flag")?.contains("is_encrypted is text, not a 0/1 flag") == true)
        #expect(reason(snapshot, "blob_value")?.contains("val is binary data (BLOB), not text") == true)
        #expect(reason(snapshot, "text_port")?.contains("port is text, not a whole number") == true)
        #expect(reason(snapshot, "huge_port")?.contains("port is not a whole number") == true)
        #expect(reason(snapshot, "bad_host")?.contains("host holds bytes that are not valid UTF-8") == true)
        #expect(reason(snapshot, "blob_type")?.contains("conn_type is binary data (BLOB), not text") == true)
        #expect(reason(snapshot, "text_port")?.contains("row id 3 of the `connection` table") == true)

        // Text is read exactly, a NUL included, as Python's driver reads it.
        #expect(snapshot.records.first { $0.name == "nul_inside" }?.state == .present(.variable("a\u{0}b")))
        // Airflow takes any integer as a port; Strata shows it as stored.
        guard case .present(.connection(let negative))? = snapshot.records.first(where: { $0.name == "negative_port" })?.state else {
            Issue.record("negative_port must be readable")
            return
        }
        #expect(negative.port == -1)

        // Rows without a usable key cannot be listed under one: each is a warning.
        #expect(snapshot.warnings.contains { $0.contains("row id 2 of the `variable` table") && $0.contains("key is NULL") })
        #expect(snapshot.warnings.contains { $0.contains("row id 7 of the `variable` table") && $0.contains("key is binary data (BLOB), not text") })
        #expect(snapshot.warnings.contains { $0.contains("row id 2 of the `connection` table") && $0.contains("conn_id is NULL") })
        // Nothing stored leaks into a reason or a warning.
        let text = snapshot.warnings.joined() + snapshot.records.compactMap { if case .unreadable(let r) = $0.state { r } else { nil } }.joined()
        #expect(!text.contains("keyless row") && !text.contains("eighty") && !text.contains("binary key"))
    }

    @Test("SQLite: a write to a key whose row cannot be read is refused, and nothing is written")
    func sqliteWriteOverUnreadableRow() async throws {
        let (directory, deployment) = try Self.hostileSQLite()
        defer { directory.remove() }
        let writer = try MetastoreWriter(deployment: deployment)
        do {
            try await writer.setVariable("text_flag", value: "new", expecting: .absent)
            Issue.record("the write must be refused")
        } catch let error as MetastoreError {
            #expect(error.kind == .invalidValue)
            #expect(error.message.contains("row id 4 of the `variable` table") && error.message.contains("nothing was written"))
        }
        let readout = try await MetastoreTier(deployment: deployment).read()
        #expect(readout.unreadableRows.contains { $0.name == "text_flag" && $0.id == 4 })
    }

    @Test("SQLite: a FIFO given as the database is refused at once, not waited on")
    func sqliteFIFO() async throws {
        let directory = try TemporaryDirectory("strata-fifo")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("airflow.db").path
        #expect(mkfifo(path, 0o600) == 0)
        do {
            _ = try await MetastoreTier(deployment: Deployment(name: "pipe", metastoreURL: "sqlite://" + path)).load()
            Issue.record("a FIFO must be refused")
        } catch let error as TierError {
            #expect(error.message.contains("deployment 'pipe'") && error.message.contains("is a FIFO (named pipe), not a regular file"))
        }
    }

    @Test("PostgreSQL: NULL keys and a port column of another type become warnings and unreadable records, not a failed read")
    func postgresHostileRows() async throws {
        let database = try PostgresTestDatabase.create(airflow2Schema: true)
        defer { database.drop() }
        try database.execute("""
            ALTER TABLE connection ALTER COLUMN conn_id DROP NOT NULL;
            ALTER TABLE connection ALTER COLUMN port TYPE TEXT;
            INSERT INTO variable (id, "key", val, is_encrypted) VALUES (1, 'good', 'value', false), (2, NULL, 'keyless', false),
                (3, 'null_flag', 'value', NULL);
            INSERT INTO connection (id, conn_id, conn_type, host, port, is_encrypted, is_extra_encrypted)
                VALUES (1, 'ok', 'http', 'h', NULL, false, false), (2, NULL, 'http', 'h', '80', false, false),
                       (3, 'text_port', 'http', 'h', 'eighty', false, false);
            """)
        let deployment = Deployment(name: "pg-hostile", airflowVersion: .v2,
                                    environment: DeploymentEnvironment(["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database.url]))
        let snapshot = try await MetastoreTier(deployment: deployment).load()
        #expect(snapshot.records.first { $0.name == "good" }?.state == .present(.variable("value")))
        #expect(snapshot.records.first { $0.name == "null_flag" }?.state == .present(.variable("value")), "a NULL flag reads as not encrypted")
        #expect(snapshot.records.first { $0.name == "ok" }.map { if case .present = $0.state { true } else { false } } == true)
        #expect(reason(snapshot, "text_port")?.contains("port is text, not a whole number") == true)
        #expect(snapshot.warnings.contains { $0.contains("row id 2 of the `variable` table") && $0.contains("key is NULL") })
        #expect(snapshot.warnings.contains { $0.contains("row id 2 of the `connection` table") && $0.contains("conn_id is NULL") })
    }
}
