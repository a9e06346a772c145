import Foundation
import Testing
import Engine
@testable import CloudBackends

/// The writer API the editing issue builds on: every write is a new version, verified by
/// reading it back, and visible to the next load.
@Suite("Cloud secret writers")
struct CloudWriterTests {
    let doubles: CloudDoubles

    init() throws { doubles = try CloudDoubles.start() }

    @Test func secretManagerCreatesTheSecretThenAddsVersions() async throws {
        let project = CloudDoubles.uniqueName("write")
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: project)
        let writer = try CloudFixtures.writer(deployment)
        let first = try await writer.write("postgres://u:p@host/db", for: .connection("my_db"))
        #expect(first == CloudWriteReceipt(name: "airflow-connections-my_db", version: "1"))
        let second = try await writer.write("postgres://u:p@host2/db", for: .connection("my_db"))
        #expect(second.version == "2")
        let snapshot = try await CloudFixtures.source(deployment).load()
        let record = try #require(snapshot.record(.connection, "airflow-connections-my_db"))
        #expect(record.rawText == "postgres://u:p@host2/db")
        #expect(record.metadata["version"] == "2")
        let stats = try await doubles.gcpControl("stats", ["project": project])
        #expect(stats["create"] as? Int == 1)
        #expect(stats["addVersion"] as? Int == 3)
    }

    @Test func secretManagerRefusesIdsItCannotHold() async throws {
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: CloudDoubles.uniqueName("write"))
        let writer = try CloudFixtures.writer(deployment)
        let message = await CloudFixtures.message { _ = try await writer.write("x", for: .variable("a/b")) }
        #expect(message?.contains("not a valid Secret Manager secret id") == true)
    }

    @Test func secretManagerWriteDenialNamesThePermission() async throws {
        let project = CloudDoubles.uniqueName("write")
        try await doubles.gcpControl("seed", ["project": project, "secrets": ["airflow-variables-locked": "old"]])
        try await doubles.gcpControl("deny", ["project": project, "permission": "secretmanager.versions.add"])
        let writer = try CloudFixtures.writer(try CloudFixtures.gcpDeployment(doubles, project: project))
        let secretValue = "new-secret-value-never-shown"
        let message = try #require(await CloudFixtures.message { _ = try await writer.write(secretValue, for: .variable("locked")) })
        #expect(message.contains("secretmanager.versions.add"))
        #expect(!message.contains(secretValue))
    }

    @Test func keyVaultSetsANewVersionAndReadsItBack() async throws {
        let vault = CloudDoubles.uniqueName("write")
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault)
        let writer = try CloudFixtures.writer(deployment)
        let first = try await writer.write("one", for: .variable("my_var"))
        #expect(first.name == "airflow-variables-my-var")
        let second = try await writer.write("two", for: .variable("my_var"))
        #expect(second.version != first.version)
        let snapshot = try await CloudFixtures.source(deployment).load()
        let record = try #require(snapshot.record(.variable, "airflow-variables-my-var"))
        #expect(record.state == .present(.variable("two")))
        #expect(record.metadata["version"] == second.version)
    }

    @Test func keyVaultRefusesNamesOutsideItsRule() async throws {
        let writer = try CloudFixtures.writer(CloudFixtures.azureDeployment(doubles, vault: CloudDoubles.uniqueName("write")))
        let message = await CloudFixtures.message { _ = try await writer.write("x", for: .variable("a.b")) }
        #expect(message?.contains("not a valid Key Vault secret name") == true)
    }
}
