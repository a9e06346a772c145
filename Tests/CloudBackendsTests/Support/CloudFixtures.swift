import Foundation
import Engine
import RemoteSupport
@testable import CloudBackends

/// Deployments configured as the Astro guide shows, pointed at the test doubles.
enum CloudFixtures {
    static let gcpBackend = "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend"
    static let azureBackend = "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend"

    /// Retries without long waits, so fault tests stay quick.
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .seconds(3), jitter: false)

    static func provider(log: RequestLedger? = nil, clock: any WallClock = SystemClock(),
                         retry: RetryPolicy = fastRetry) -> CloudTierProvider {
        CloudTierProvider(transport: { ca in
            let base = try CloudTierProvider().defaultTransport(caBundlePath: ca)
            guard let log else { return base }
            return CountingTransport(base, countingInto: log)
        }, clock: clock, retry: retry)
    }

    static func kwargsJSON(_ kwargs: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: kwargs, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The GCP guide's local setup: the key pasted into gcp_keyfile_dict.
    static func gcpDeployment(_ doubles: CloudDoubles, project: String, kwargs extra: [String: Any] = [:],
                              env: [String: String] = [:], keyFile: String? = nil) throws -> Deployment {
        let keyText = try String(contentsOfFile: keyFile ?? doubles.gcpValue("service_account_key"), encoding: .utf8)
        var kwargs: [String: Any] = ["connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables",
                                     "gcp_keyfile_dict": keyText, "project_id": project]
        for (key, value) in extra { kwargs[key] = value }
        var variables = ["AIRFLOW__SECRETS__BACKEND": gcpBackend,
                         "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargsJSON(kwargs),
                         "STRATA_GCP_SECRET_MANAGER_ENDPOINT": doubles.gcpURL,
                         "HOME": "/nonexistent-home"]
        for (key, value) in env { variables[key] = value }
        return Deployment(name: "gcp-\(project)", environment: DeploymentEnvironment(variables))
    }

    /// The Azure guide's local setup: AZURE_CLIENT_ID/TENANT_ID/CLIENT_SECRET in .env, vault_url in kwargs.
    static func azureDeployment(_ doubles: CloudDoubles, vault: String, kwargs extra: [String: Any] = [:],
                                env: [String: String?] = [:]) -> Deployment {
        var kwargs: [String: Any] = ["connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables",
                                     "vault_url": doubles.azureURL + "/vaults/" + vault,
                                     // The double is not under vault.azure.net, so the SDK's check must be relaxed.
                                     "verify_challenge_resource": false]
        for (key, value) in extra { kwargs[key] = value }
        var variables: [String: String] = [
            "AZURE_CLIENT_ID": doubles.azureValue("client_id"),
            "AZURE_TENANT_ID": doubles.azureValue("tenant_id"),
            "AZURE_CLIENT_SECRET": doubles.azureValue("client_secret"),
            "AZURE_AUTHORITY_HOST": doubles.azureURL,
            "REQUESTS_CA_BUNDLE": doubles.azureCAFile,
            "AIRFLOW__SECRETS__BACKEND": azureBackend,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargsJSON(kwargs),
        ]
        for (key, value) in env { variables[key] = value }
        return Deployment(name: "azure-\(vault)", environment: DeploymentEnvironment(variables.compactMapValues { $0 }))
    }

    /// The backend configuration Airflow reads from the deployment's environment.
    static func configuration(_ deployment: Deployment) throws -> BackendConfiguration {
        guard let configuration = BackendConfiguration.read(from: deployment.environment, version: .v3).secrets else {
            throw CloudDoubles.Missing(description: "the deployment has no secrets backend")
        }
        return configuration
    }

    static func source(_ deployment: Deployment, provider: CloudTierProvider = provider()) throws -> any TierSource {
        try provider.makeSource(configuration: configuration(deployment), deployment: deployment, tier: .backend, dialect: .core)
    }

    static func writer(_ deployment: Deployment, provider: CloudTierProvider = provider()) throws -> any CloudSecretWriter {
        try provider.makeWriter(configuration: configuration(deployment), deployment: deployment)
    }

    /// The error `body` throws, as text (for message assertions).
    static func message(of body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch { return String(describing: error) }
    }
}

extension TierSnapshot {
    func record(_ kind: SecretKind, _ name: String) -> TierRecord? {
        records.first { $0.kind == kind && $0.name == name }
    }
}
