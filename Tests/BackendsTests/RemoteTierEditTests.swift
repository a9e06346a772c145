import Foundation
import Testing
import Engine
@testable import Backends

/// Editing each remote backend through the app's planner, executor and writer factory, against
/// the real servers (moto, OpenBao) and the GCP/Azure test doubles, checked by loading the
/// deployment again and asking the resolver.
@Suite("Editing AWS Secrets Manager (moto)")
struct SecretsManagerEditTests {
    @Test func variablesAndConnectionsRoundTripAsURIs() async throws {
        let prefix = TestServices.unique("edit-sm-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: prefix))
        try await EditScenario.roundTrip(harness, tier: .backend, form: .uri)
    }

    @Test func connectionsRoundTripAsJSONThroughTheProvidersWordLists() async throws {
        let prefix = TestServices.unique("edit-smj-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: prefix))
        try await EditScenario.roundTrip(harness, tier: .backend, form: .json)
    }

    @Test func aConcurrentChangeIsAConflictAndSurvives() async throws {
        let prefix = TestServices.unique("edit-smc-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: prefix))
        try await EditScenario.concurrentChange(harness, tier: .backend, other: EditScenario.writeBehindTheBack)
    }

    @Test func aDeleteIsRecoverableAndTheNameCanBeWrittenAgain() async throws {
        let prefix = TestServices.unique("edit-smd-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: prefix))
        let key = SecretKey.variable("phoenix")
        #expect(await harness.apply(.set(key, .variable("one", description: nil)), into: .backend).succeeded)
        let deleted = await harness.apply(.delete(key), into: .backend)
        #expect(deleted.receipt?.notes.contains { $0.contains("restore-secret") } == true)
        #expect(await harness.resolve(key).winner == nil)
        // Scheduled for deletion, the name is still taken: Strata restores it, then replaces the value.
        let again = await harness.apply(.set(key, .variable("two", description: nil)), into: .backend)
        #expect(again.error == nil, "\(again.error?.message ?? "")")
        #expect(again.receipt?.notes.contains { $0.contains("restored") } == true)
        #expect(await harness.resolve(key).value == .variable("two"))
    }
}

@Suite("Editing AWS SSM Parameter Store (moto)")
struct ParameterStoreEditTests {
    @Test(arguments: [ConnectionForm.uri, .json])
    func variablesAndConnectionsRoundTrip(form: ConnectionForm) async throws {
        let prefix = "/" + TestServices.unique("edit-ssm-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.parameterStoreClass, prefix: prefix))
        try await EditScenario.roundTrip(harness, tier: .backend, form: form)
    }

    @Test func aConcurrentChangeIsAConflictAndSurvives() async throws {
        let prefix = "/" + TestServices.unique("edit-ssmc-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.parameterStoreClass, prefix: prefix))
        try await EditScenario.concurrentChange(harness, tier: .backend, other: EditScenario.writeBehindTheBack)
    }

    @Test func anEmptyValueIsRefusedWithWhatToDo() async throws {
        let prefix = "/" + TestServices.unique("edit-ssme-")
        let harness = EditHarness(deployment: try TestServices.awsDeployment(backend: TestServices.parameterStoreClass, prefix: prefix))
        let outcome = await harness.apply(.set(.variable("blank"), .variable("", description: nil)), into: .backend)
        #expect(outcome.error?.kind == .invalid)
        #expect(outcome.error?.message.contains("another tier") == true)
    }
}

@Suite("Editing HashiCorp Vault (OpenBao)")
struct VaultEditTests {
    @Test(arguments: [ConnectionForm.uri, .fields])
    func kv2RoundTrip(form: ConnectionForm) async throws {
        let (deployment, _) = try await TestServices.vaultDeployment(kvVersion: 2)
        try await EditScenario.roundTrip(EditHarness(deployment: deployment), tier: .backend, form: form)
    }

    /// OpenBao answers a LIST of an empty KV v1 folder with no keys at all, which the Vault
    /// tier does not read as empty yet; a secret in each folder keeps the tier loadable.
    func seedKV1(_ mount: String) async throws {
        try await TestServices.vault("POST", "\(mount)/connections/keep", ["conn_uri": "http://keep.example"])
        try await TestServices.vault("POST", "\(mount)/variables/keep", ["value": "kept"])
    }

    @Test func kv1RoundTrip() async throws {
        let (deployment, mount) = try await TestServices.vaultDeployment(kvVersion: 1)
        try await seedKV1(mount)
        try await EditScenario.roundTrip(EditHarness(deployment: deployment), tier: .backend, form: .uri)
    }

    @Test(arguments: [2, 1])
    func aConcurrentChangeIsAConflictAndSurvives(kvVersion: Int) async throws {
        let (deployment, mount) = try await TestServices.vaultDeployment(kvVersion: kvVersion)
        if kvVersion == 1 { try await seedKV1(mount) }
        try await EditScenario.concurrentChange(EditHarness(deployment: deployment), tier: .backend, other: EditScenario.writeBehindTheBack)
    }

    @Test func aKV2DeleteIsSoftAndANewValueChecksAndSetsOnTheDeletedVersion() async throws {
        let (deployment, mount) = try await TestServices.vaultDeployment(kvVersion: 2)
        let harness = EditHarness(deployment: deployment)
        let key = SecretKey.variable("phoenix")
        #expect(await harness.apply(.set(key, .variable("one", description: nil)), into: .backend).succeeded)
        let deleted = await harness.apply(.delete(key), into: .backend)
        #expect(deleted.receipt?.notes.contains { $0.contains("undelete") && $0.contains("-versions=1") } == true)
        let metadata = try await TestServices.vault("GET", "\(mount)/metadata/variables/phoenix")
        let versions = (metadata["data"] as? [String: Any])?["versions"] as? [String: Any]
        #expect(((versions?["1"] as? [String: Any])?["deletion_time"] as? String)?.isEmpty == false)
        let again = await harness.apply(.set(key, .variable("two", description: nil)), into: .backend)
        #expect(again.error == nil, "\(again.error?.message ?? "")")
        #expect(again.receipt?.version == "2")
        #expect(await harness.resolve(key).value == .variable("two"))
    }

    @Test func aVariablesOtherKeysAreKept() async throws {
        let (deployment, mount) = try await TestServices.vaultDeployment(kvVersion: 2)
        try await TestServices.vault("POST", "\(mount)/data/variables/owned", ["data": ["value": "1", "owner": "team-a"]])
        let harness = EditHarness(deployment: deployment)
        let outcome = await harness.apply(.set(.variable("owned"), .variable("2", description: nil)), into: .backend)
        #expect(outcome.error == nil, "\(outcome.error?.message ?? "")")
        let stored = try await TestServices.vault("GET", "\(mount)/data/variables/owned")
        let data = (stored["data"] as? [String: Any])?["data"] as? [String: String]
        #expect(data == ["value": "2", "owner": "team-a"])
    }
}

@Suite("Editing GCP Secret Manager (test double)")
struct SecretManagerEditTests {
    @Test(arguments: [ConnectionForm.uri, .json])
    func variablesAndConnectionsRoundTrip(form: ConnectionForm) async throws {
        let harness = EditHarness(deployment: try TestServices.gcpDeployment(project: TestServices.unique("edit-")))
        // The double does not implement secrets.delete yet.
        try await EditScenario.roundTrip(harness, tier: .backend, form: form, deletes: false)
    }

    @Test func aConcurrentChangeIsAConflictAndSurvives() async throws {
        let harness = EditHarness(deployment: try TestServices.gcpDeployment(project: TestServices.unique("edit-")))
        try await EditScenario.concurrentChange(harness, tier: .backend, other: EditScenario.writeBehindTheBack)
    }
}

@Suite("Editing Azure Key Vault (test double)")
struct KeyVaultEditTests {
    @Test(arguments: [ConnectionForm.uri, .json])
    func variablesAndConnectionsRoundTrip(form: ConnectionForm) async throws {
        let harness = EditHarness(deployment: try TestServices.azureDeployment(vault: TestServices.unique("edit-")))
        // The double does not implement DELETE /secrets/{name} yet.
        try await EditScenario.roundTrip(harness, tier: .backend, form: form, deletes: false)
    }

    @Test func aConcurrentChangeIsAConflictAndSurvives() async throws {
        let harness = EditHarness(deployment: try TestServices.azureDeployment(vault: TestServices.unique("edit-")))
        try await EditScenario.concurrentChange(harness, tier: .backend, other: EditScenario.writeBehindTheBack)
    }
}
