import Engine
import Foundation
import GRDB
import Metastore
import Testing
import TestSupport

/// Broken metastores give one clear message naming the deployment and what to check.
@Suite struct BadInputTests {
    private func loadError(_ deployment: Deployment) async -> TierError? {
        do {
            _ = try await MetastoreTier(deployment: deployment).load()
            return nil
        } catch let error as TierError {
            return error
        } catch {
            Issue.record("load() must throw TierError, threw \(type(of: error))")
            return nil
        }
    }

    @Test("A missing file")
    func missingFile() async throws {
        let error = try #require(await loadError(Deployment(name: "dev", metastoreURL: "sqlite:///nonexistent/dir/airflow.db")))
        #expect(error.message == "deployment 'dev': the metastore sqlite:///nonexistent/dir/airflow.db does not exist; check the path in the deployment's `metastore` setting (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)")
    }

    @Test("A file that is not a SQLite database")
    func notADatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("airflow.db", String(repeating: "not sqlite\n", count: 200))
        let error = try #require(await loadError(Deployment(name: "dev", metastoreURL: "sqlite://" + file.path)))
        #expect(error.message.contains("deployment 'dev'") && error.message.contains("is not a SQLite database"))
    }

    @Test("A SQLite database without Airflow's tables")
    func missingTables() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("other.db").path
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "CREATE TABLE variable (id INTEGER PRIMARY KEY, name TEXT)") }
        let error = try #require(await loadError(Deployment(name: "dev", metastoreURL: "sqlite://" + path)))
        #expect(error.message.contains("has no `connection` table") && error.message.contains("not an Airflow metadata database"))
        try await queue.write { db in try db.execute(sql: "CREATE TABLE connection (id INTEGER PRIMARY KEY, conn_id TEXT)") }
        let columns = try #require(await loadError(Deployment(name: "dev", metastoreURL: "sqlite://" + path)))
        #expect(columns.message.contains("variable.key") && columns.message.contains("connection.conn_type"))
    }

    @Test("A SQLite file locked by another writer: reported as locked, not as empty")
    func lockedFile() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true // the test holds a lock across accesses on purpose
        let holder = try DatabaseQueue(path: database.path, configuration: configuration)
        let deployment = MetastoreFixture.deployment(database, fernetKey: "", name: "busy")
        try await holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
        }
        let error = await loadError(deployment)
        let writeError: MetastoreError? = await {
            do {
                try await MetastoreWriter(deployment: deployment).setVariable("x", value: "y", expecting: .absent)
                return nil
            } catch let error as MetastoreError { return error } catch { return nil }
        }()
        try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        #expect(error?.message.contains("deployment 'busy'") == true)
        #expect(error?.message.contains("is locked by another process") == true)
        #expect(writeError?.kind == .locked)
        #expect(try await MetastoreTier(deployment: deployment).load().records.count == 6, "readable once the lock is gone")
    }

    @Test("A malformed Fernet key: clear rows still show, encrypted ones say what to fix, a warning names the deployment")
    func malformedKey() async throws {
        for (key, fragment) in [("c2hvcnQ=", "5 bytes instead of 32"), ("!!!!", "0 bytes instead of 32"), ("abcdefghij", "not url-safe base64")] {
            let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.mainDatabase, fernetKey: key, name: "prod"))
            let snapshot = try await tier.load()
            #expect(snapshot.warnings.count == 1)
            #expect(snapshot.warnings.first?.contains("deployment 'prod'") == true)
            #expect(snapshot.warnings.first?.contains("AIRFLOW__CORE__FERNET_KEY is malformed") == true)
            #expect(snapshot.warnings.first?.contains(fragment) == true)
            #expect(snapshot.warnings.allSatisfy { !$0.contains(key) })
            #expect(snapshot.records.first { $0.name == "clear_var" }?.state == .present(.variable("stored in clear text")))
            let plain = try #require(snapshot.records.first { $0.name == "plain" })
            #expect(plain.unreadableReason?.contains("malformed") == true)
        }
    }

    @Test("A Fernet key given only as _CMD is not run; the tier says so")
    func commandKey() async throws {
        let env = DeploymentEnvironment(["AIRFLOW__CORE__FERNET_KEY_CMD": "cat /secret"])
        let deployment = Deployment(name: "astro", environment: env, metastoreURL: "sqlite://" + MetastoreFixture.mainDatabase.path)
        let snapshot = try await MetastoreTier(deployment: deployment).load()
        #expect(snapshot.warnings.first?.contains("AIRFLOW__CORE__FERNET_KEY_CMD") == true)
        #expect(snapshot.records.first { $0.name == "plain" }?.unreadableReason?.contains("_CMD") == true)
    }

    @Test("Airflow 2 only warns about an extra that is not a JSON object; Airflow 3 rejects it")
    func extraValidation() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        let v2 = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: "", version: .v2))
        _ = try await v2.setConnection("odd_extra", Connection(connType: "http", extra: "not json"), expecting: .absent)
        let v2Record = try await v2.tier.read().connectionRecords.first { $0.name == "odd_extra" }
        #expect(v2Record?.metadata["warning"]?.contains("not a JSON object") == true)
        guard case .present = v2Record?.state else { Issue.record("Airflow 2 reads it"); return }
        let v3 = try MetastoreTier(deployment: MetastoreFixture.deployment(database, fernetKey: "", version: .v3))
        let readout = try await v3.read()
        let v3Record = try #require(readout.connectionRecords.first { $0.name == "odd_extra" })
        #expect(v3Record.unreadableReason?.contains("Airflow 3 rejects") == true)
        #expect(v3.decoder.airflowAnswer(for: try #require(readout.connection("odd_extra")))
                == .failed(AirflowFailure(errorClass: "ValueError", message: "Encountered non-JSON in `extra` field for connection 'odd_extra'.")))
        #expect(readout.warnings.contains { $0.contains("Airflow 3 schema") } == false)
        let v2Readout = try await v2.tier.read()
        #expect(v2Readout.warnings.contains { $0.contains("Airflow 3 schema but the deployment is set to Airflow 2") })
    }
}
