import Foundation
import Testing
import Editing
import Engine
@testable import Backends
import AWSBackends
import RemoteSupport

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

extension SecretsManagerEditTests {
    /// A writer over a source whose requests are counted, built as the app builds it.
    static func countedWriter(_ deployment: Deployment) throws -> (any TierWriter, RequestLedger) {
        let ledger = RequestLedger()
        let configuration = try #require(deployment.backendSettings.secrets)
        let source = try AWSTierProvider(transport: { _ in CountingTransport(try HTTPClientTransport.shared(log: nil), countingInto: ledger) })
            .makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        let writer = try #require(AppTierWriterFactory().writerSlot(for: TierSlot(source: source), deployment: deployment, context: .server).writer)
        return (writer, ledger)
    }

    @Test func aCreateWhoseCallerVerifiesTheBatchIsOneCreateSecretButAReplaceStillReadsBack() async throws {
        let prefix = TestServices.unique("edit-smb-")
        let (writer, ledger) = try Self.countedWriter(try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: prefix))
        let key = SecretKey.variable("batch")
        let created = try await writer.apply(TierChange(key: key, action: .set(.variable("one", description: nil), form: .uri),
                                                        verification: .byCaller), expecting: .absent)
        #expect(created.created)
        #expect(ledger.requests.compactMap(\.operation) == ["secretsmanager.CreateSecret"],
                "CreateSecret refuses a name that exists, so nothing else is needed to know what was stored")
        #expect(try await writer.read(key) == .present(.variable("one")))

        let before = ledger.count
        _ = try await writer.apply(TierChange(key: key, action: .set(.variable("two", description: nil), form: .uri), verification: .byCaller),
                                   expecting: .present(.variable("one")))
        let reads = ledger.requests[before...].filter { $0.operation == "secretsmanager.GetSecretValue" }.count
        #expect(reads == 2, "a replace compares the value first and reads it back after, whoever verifies the batch")
        #expect(try await writer.read(key) == .present(.variable("two")))
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
        try await EditScenario.roundTrip(harness, tier: .backend, form: form)
    }

    @Test func aDeletedSecretIsGoneAndItsIDStartsAgainAtVersionOne() async throws {
        let harness = EditHarness(deployment: try TestServices.gcpDeployment(project: TestServices.unique("edit-")))
        let key = SecretKey.variable("phoenix")
        // Outcomes are checked through plain fields: a failing #expect on an Outcome would print the values in it.
        let first = await harness.apply(.set(key, .variable("one", description: nil)), into: .backend).error?.message
        #expect(first == nil)
        let second = await harness.apply(.set(key, .variable("two", description: nil)), into: .backend).receipt?.version
        #expect(second == "2")
        let deleted = await harness.apply(.delete(key), into: .backend)
        #expect(deleted.error == nil, "\(deleted.error?.message ?? "")")
        #expect(deleted.receipt?.notes.contains { $0.contains("cannot be restored") } == true)
        #expect(await harness.resolve(key).winner == nil)
        // Secret Manager's delete is final and frees the id: writing again creates a new secret.
        let again = await harness.apply(.set(key, .variable("three", description: nil)), into: .backend)
        #expect(again.error == nil, "\(again.error?.message ?? "")")
        #expect(again.receipt?.created == true)
        #expect(again.receipt?.version == "1")
        #expect(await harness.resolve(key).value == .variable("three"))
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
        try await EditScenario.roundTrip(harness, tier: .backend, form: form)
    }

    @Test func aDeleteIsSoftAndWritingTheNameAgainSaysToRecoverOrPurgeIt() async throws {
        let vault = TestServices.unique("edit-")
        let harness = EditHarness(deployment: try TestServices.azureDeployment(vault: vault))
        let key = SecretKey.variable("phoenix")
        let first = await harness.apply(.set(key, .variable("one", description: nil)), into: .backend).error?.message
        #expect(first == nil)
        let deleted = await harness.apply(.delete(key), into: .backend)
        #expect(deleted.error == nil, "\(deleted.error?.message ?? "")")
        let recoveryID = "/vaults/\(vault)/deletedsecrets/airflow-variables-phoenix"
        #expect(deleted.receipt?.notes.contains { $0.contains("az keyvault secret recover --id") && $0.contains(recoveryID) } == true)
        #expect(await harness.resolve(key).winner == nil)

        // Soft-deleted, the name is still taken: the write is refused, naming both ways out.
        let again = await harness.apply(.set(key, .variable("two", description: nil)), into: .backend)
        let written = again.succeeded
        #expect(!written)
        #expect(again.error?.kind == .failed)
        let message = again.error?.message ?? ""
        #expect(message.contains("deleted but recoverable"), "\(message)")
        #expect(message.contains("az keyvault secret recover --id") && message.contains("az keyvault secret purge --id"), "\(message)")
        #expect(message.contains(recoveryID), "\(message)")
        #expect(await harness.resolve(key).winner == nil, "the refused write left nothing behind")
    }

    @Test func aConcurrentChangeIsAConflictAndSurvives() async throws {
        let harness = EditHarness(deployment: try TestServices.azureDeployment(vault: TestServices.unique("edit-")))
        try await EditScenario.concurrentChange(harness, tier: .backend, other: EditScenario.writeBehindTheBack)
    }
}
