import Engine
import Foundation
import Metastore
import Testing
import TestSupport

/// Writing to a copy of the fixture database: values encrypted with the first key in a form
/// Airflow reads, changes made in place, and conflicts refused.
@Suite struct SQLiteWriteTests {
    static func bothKeys() throws -> String { "\(try MetastoreFixture.keyNew),\(try MetastoreFixture.keyOld)" }

    @Test("Creating a variable encrypts it with the first key; Strata and Airflow's view read it back")
    func createVariable() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.mainDatabase)
        defer { directory.remove() }
        let deployment = MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys())
        let writer = try MetastoreWriter(deployment: deployment)
        let row = try await writer.setVariable("new_var", value: "Grüße 🌍", description: "made by Strata", expecting: .absent)
        #expect(row.isEncrypted && row.val != "Grüße 🌍" && row.val?.hasPrefix("gAAAAA") == true)
        #expect(row.teamName == nil && row.description == "made by Strata")
        let readout = try await writer.tier.read()
        let record = try #require(readout.variableRecords.first { $0.name == "new_var" })
        #expect(record.state == .present(.variable("Grüße 🌍")))
        #expect(record.metadata["encrypted_with"] == "0")
        #expect(writer.tier.decoder.airflowAnswer(for: try #require(readout.variable("new_var"))) == .value("Grüße 🌍"))
        // Only the second key was configured before: K_OLD alone cannot read it, K_NEW can.
        let newOnly = try MetastoreTier(deployment: MetastoreFixture.deployment(database, fernetKey: try MetastoreFixture.keyNew))
        #expect(try await newOnly.read().variableRecords.first { $0.name == "new_var" }?.state == .present(.variable("Grüße 🌍")))
        #expect(readout.variables.count == 14)
    }

    @Test("Updating keeps the row id, re-encrypts with the first key (rotation) and leaves other rows alone")
    func updateVariable() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.mainDatabase)
        defer { directory.remove() }
        let writer = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys()))
        let before = try await writer.tier.read()
        let old = try #require(before.variable("old_key_var"))
        let updated = try await writer.setVariable("old_key_var", value: "re-encrypted", description: nil, expecting: .unchanged(old))
        #expect(updated.id == old.id)
        let after = try await writer.tier.read()
        #expect(after.variableRecords.first { $0.name == "old_key_var" }?.metadata["encrypted_with"] == "0")
        #expect(after.variableRecords.first { $0.name == "old_key_var" }?.state == .present(.variable("re-encrypted")))
        for row in before.variables where row.key != "old_key_var" {
            #expect(after.variable(row.key) == row, "\(row.key) untouched")
        }
        #expect(before.connections == after.connections)
    }

    @Test("A row changed by someone else since it was read is a conflict; nothing is written")
    func conflicts() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.mainDatabase)
        defer { directory.remove() }
        let writer = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys()))
        let read = try await writer.tier.read()
        let plain = try #require(read.variable("plain"))
        // Someone else writes first.
        try await writer.setVariable("plain", value: "theirs", expecting: .unchanged(plain))
        await #expect(throws: MetastoreError.self) {
            try await writer.setVariable("plain", value: "mine", expecting: .unchanged(plain))
        }
        do {
            try await writer.setVariable("plain", value: "mine", expecting: .unchanged(plain))
        } catch let error as MetastoreError {
            #expect(error.kind == .conflict && error.message.contains("'plain'") && error.message.contains("changed"))
            #expect(!error.message.contains("theirs") && !error.message.contains("mine"))
        }
        #expect(try await writer.tier.read().variableRecords.first { $0.name == "plain" }?.state == .present(.variable("theirs")))
        // Creating over an existing row, deleting a row that changed, updating a deleted row.
        await #expect(throws: MetastoreError.self) { try await writer.setVariable("plain", value: "x", expecting: .absent) }
        await #expect(throws: MetastoreError.self) { try await writer.deleteVariable("plain", expecting: .unchanged(plain)) }
        let connection = try #require(read.connection("postgres_special"))
        try await writer.deleteConnection("postgres_special", expecting: .unchanged(connection))
        do {
            try await writer.setConnection("postgres_special", Connection(connType: "postgres"), expecting: .unchanged(connection))
            Issue.record("updating a deleted row must conflict")
        } catch let error as MetastoreError {
            #expect(error.kind == .conflict && error.message.contains("deleted"))
        }
        #expect(try await writer.tier.read().connection("postgres_special") == nil)
    }

    @Test("Connections: password and extra encrypted separately, empty password stored as NULL, Airflow reads them")
    func connections() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.mainDatabase)
        defer { directory.remove() }
        let writer = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys()))
        let full = Connection(connType: "postgres", host: "db.example", login: "me", password: "p@ss w/rd😀",
                              schema: "analytics", port: 5432, extra: #"{"sslmode": "require"}"#, description: "by Strata")
        let row = try await writer.setConnection("strata_conn", full, expecting: .absent)
        #expect(row.isEncrypted && row.isExtraEncrypted && row.password != full.password && row.extra != full.extra)
        #expect(row.login == "me" && row.host == "db.example" && row.port == 5432 && row.description == "by Strata")
        let readout = try await writer.tier.read()
        let record = try #require(readout.connectionRecords.first { $0.name == "strata_conn" })
        #expect(record.state == .present(.connection(full)))
        #expect(writer.tier.decoder.airflowAnswer(for: row) == .connection(full))

        let bare = Connection(connType: "http", host: "h", login: "u", password: "", extra: "")
        let bareRow = try await writer.setConnection("strata_conn", bare, expecting: .unchanged(row))
        #expect(bareRow.id == row.id && bareRow.password == nil && !bareRow.isEncrypted)
        #expect(bareRow.extra == "" && !bareRow.isExtraEncrypted)
        var expected = bare
        expected.password = nil
        #expect(writer.tier.decoder.airflowAnswer(for: bareRow) == .connection(expected))
        try await writer.deleteConnection("strata_conn", expecting: .unchanged(bareRow))
        #expect(try await writer.tier.read().connection("strata_conn") == nil)
    }

    @Test("With no Fernet key, values are stored in clear as Airflow's null fernet does")
    func clearWrites() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        let writer = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: ""))
        let row = try await writer.setVariable("nf_new", value: "clear", expecting: .absent)
        #expect(!row.isEncrypted && row.val == "clear")
        let conn = try await writer.setConnection("nf_new_conn", Connection(connType: "http", password: "pw", extra: "{}"), expecting: .absent)
        #expect(!conn.isEncrypted && conn.password == "pw" && !conn.isExtraEncrypted && conn.extra == "{}")
    }

    @Test("Writes Airflow would refuse are refused: bad conn_id, non-object extra on Airflow 3, read-only deployments, bad keys")
    func refusedWrites() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.mainDatabase)
        defer { directory.remove() }
        let writer = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys()))
        for id in ["has space", "", String(repeating: "x", count: 251), "semi;colon"] {
            await #expect(throws: MetastoreError.self, "\(id.prefix(20))") {
                try await writer.setConnection(id, Connection(connType: "http"), expecting: .absent)
            }
        }
        _ = try await writer.setConnection("ümlaut#!().:/\\-", Connection(connType: "http"), expecting: .absent)
        let v2 = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys(), version: .v2))
        await #expect(throws: MetastoreError.self, "Airflow 2's \\w is ASCII") {
            try await v2.setConnection("ümlaut2", Connection(connType: "http"), expecting: .absent)
        }
        do {
            try await writer.setConnection("list_extra", Connection(connType: "http", extra: "[1, 2]"), expecting: .absent)
            Issue.record("Airflow 3 rejects a list extra")
        } catch let error as MetastoreError {
            #expect(error.kind == .invalidValue && error.message.contains("does not parse as a dictionary"))
        }
        _ = try await v2.setConnection("list_extra", Connection(connType: "http", extra: "[1, 2]"), expecting: .absent)

        let readOnly = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: try Self.bothKeys(), readOnly: true))
        do {
            try await readOnly.setVariable("x", value: "y", expecting: .absent)
            Issue.record("read-only deployments are not written")
        } catch let error as MetastoreError {
            #expect(error.kind == .readOnly && error.message.contains("read-only"))
        }
        let badKey = try MetastoreWriter(deployment: MetastoreFixture.deployment(database, fernetKey: "tooshort"))
        do {
            try await badKey.setVariable("x", value: "y", expecting: .absent)
            Issue.record("a malformed key cannot encrypt")
        } catch let error as MetastoreError {
            #expect(error.kind == .configuration && error.message.contains("AIRFLOW__CORE__FERNET_KEY") && !error.message.contains("tooshort"))
        }
        #expect(try await writer.tier.read().variable("x") == nil)
    }

    @Test("The fixture databases themselves are never written: reads open them read-only")
    func fixturesStayUntouched() async throws {
        let before = try Data(contentsOf: MetastoreFixture.mainDatabase)
        let tier = try MetastoreTier(deployment: MetastoreFixture.deployment(MetastoreFixture.mainDatabase, fernetKey: try Self.bothKeys()))
        _ = try await tier.load()
        #expect(try Data(contentsOf: MetastoreFixture.mainDatabase) == before)
    }
}
