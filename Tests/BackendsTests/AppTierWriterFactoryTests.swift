import Foundation
import Testing
import Editing
import Engine
import TestSupport
@testable import Backends

/// The app's writer factory gives every tier the app loads a writer described exactly like
/// the loaded tier, so the UI pairs them.
@Suite struct AppTierWriterFactoryTests {
    func pairs(_ deployment: Deployment, context: LookupContext = .server) -> ([TierSlot], [TierWriterSlot]) {
        (AppTierFactory().makeTiers(for: deployment, context: context),
         AppTierWriterFactory().makeWriters(for: deployment, context: context))
    }

    @Test func everyRemoteBackendGetsAWriterDescribedLikeItsTier() async throws {
        let deployments = [
            try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: "pairs"),
            try TestServices.awsDeployment(backend: TestServices.parameterStoreClass, prefix: "/pairs"),
            try await TestServices.vaultDeployment().0,
            try TestServices.gcpDeployment(project: "pairs"),
            try TestServices.azureDeployment(vault: "pairs"),
        ]
        for deployment in deployments {
            let (tiers, writers) = pairs(deployment)
            #expect(writers.map(\.descriptor) == tiers.map(\.descriptor))
            let backend = try #require(writers.first { $0.tier == .backend })
            #expect(backend.writer != nil, "\(backend.unavailableReason ?? "")")
            #expect(backend.writer?.descriptor == tiers.first { $0.tier == .backend }?.descriptor)
        }
    }

    @Test func theMetastoreAndTheWorkersBackendArePaired() throws {
        let directory = try TemporaryDirectory("strata-writers")
        defer { directory.remove() }
        let env = [
            "AIRFLOW__SECRETS__BACKEND": TestServices.secretsManagerClass,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": "{}", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AIRFLOW__WORKERS__SECRETS_BACKEND": TestServices.vaultClass,
            "AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS": #"{"url": "http://127.0.0.1:1", "token": "t"}"#,
        ]
        let deployment = Deployment(name: "workers", airflowVersion: .v3, environment: DeploymentEnvironment(env),
                                    metastoreURL: "sqlite://" + directory.url.appendingPathComponent("airflow.db").path)
        let (tiers, writers) = pairs(deployment, context: .worker)
        #expect(writers.map(\.tier) == tiers.map(\.tier))
        #expect(Set(writers.map(\.tier)) == [.env, .workersBackend, .backend, .metastore])
        #expect(writers.map(\.descriptor) == tiers.map(\.descriptor))
        #expect(writers.first { $0.tier == .workersBackend }?.writer?.descriptor.label == "HashiCorp Vault")
        #expect(writers.first { $0.tier == .metastore }?.writer?.connectionForms == [.fields])
        #expect(writers.first { $0.tier == .metastore }?.writer?.keepsVariableDescriptions == true)
    }

    @Test func tiersThatCannotBeWrittenSayWhy() {
        let unknown = Deployment(name: "odd", environment: DeploymentEnvironment(["AIRFLOW__SECRETS__BACKEND": "my.own.Backend"]))
        let (tiers, writers) = pairs(unknown)
        #expect(writers.map(\.descriptor) == tiers.map(\.descriptor))
        let backend = writers.first { $0.tier == .backend }
        #expect(backend?.writer == nil)
        #expect(backend?.unavailableReason?.contains("my.own.Backend") == true)
        #expect(writers.first { $0.tier == .metastore }?.unavailableReason?.contains("metastore") == true)
    }

    @Test func aReadOnlyDeploymentGetsNoWriterAtAll() throws {
        let deployment = Deployment(name: "prod", environment: DeploymentEnvironment(["AIRFLOW_VAR_A": "1"]),
                                    metastoreURL: "sqlite:////nonexistent/airflow.db", readOnly: true)
        let writers = AppTierWriterFactory().makeWriters(for: deployment, context: .server)
        #expect(!writers.isEmpty)
        #expect(writers.allSatisfy { $0.writer == nil && $0.unavailableReason?.contains("read-only") == true })
    }
}
