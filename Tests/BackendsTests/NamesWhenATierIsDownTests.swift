import Foundation
import Testing
import Engine
@testable import Backends

/// Each backend row says which exact name Airflow would ask for, even when the backend cannot
/// be reached, cannot authenticate or cannot be set up: the moment an operator most needs it.
@Suite struct NamesWhenATierIsDownTests {
    static let unreachable = "http://127.0.0.1:1"

    static func deployment(_ backendClass: String, kwargs: String, env: [String: String] = [:]) -> Deployment {
        var variables = env
        variables["AIRFLOW__SECRETS__BACKEND"] = backendClass
        variables["AIRFLOW__SECRETS__BACKEND_KWARGS"] = kwargs
        variables["HOME"] = "/nonexistent-home"
        return Deployment(name: "down", environment: DeploymentEnvironment(variables))
    }

    /// (backend, kwargs, env, the connection name Airflow asks for, the variable name).
    static let cases: [(String, String, [String: String], String, String)] = [
        ("airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
         #"{"vault_url": "https://down-vault.vault.azure.net/", "connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables"}"#,
         ["AZURE_CLIENT_ID": "id", "AZURE_TENANT_ID": "tenant", "AZURE_CLIENT_SECRET": "secret", "AZURE_AUTHORITY_HOST": unreachable],
         "airflow-connections-my-db", "airflow-variables-region-name"),
        ("airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend",
         #"{"project_id": "down", "connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables"}"#,
         ["GCE_METADATA_HOST": "127.0.0.1:1"],
         "airflow-connections-my_db", "airflow-variables-region_name"),
        ("airflow.providers.hashicorp.secrets.vault.VaultBackend",
         #"{"url": "\#(unreachable)", "token": "t", "mount_point": "airflow", "connections_path": "connections", "variables_path": "variables"}"#,
         [:], "airflow/connections/my_db", "airflow/variables/region_name"),
        ("airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
         #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#,
         ["AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": unreachable, "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"],
         "airflow/connections/my_db", "airflow/variables/region_name"),
        ("airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend",
         #"{"connections_prefix": "/airflow/connections", "variables_prefix": "/airflow/variables"}"#,
         ["AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": unreachable, "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"],
         "/airflow/connections/my_db", "/airflow/variables/region_name"),
    ]

    @Test(arguments: 0..<cases.count)
    func theBackendRowNamesTheSecretWhileTheBackendIsDown(_ index: Int) async throws {
        let (backend, kwargs, env, connectionName, variableName) = Self.cases[index]
        let state = await DeploymentLoader(factory: AppTierFactory()).loadAll(Self.deployment(backend, kwargs: kwargs, env: env),
                                                                              context: .server)
        switch state.tiers[.backend] {
        case .failed?, .unavailable?: break
        default: Issue.record("\(backend): the backend is not down: \(String(describing: state.tiers[.backend]))")
        }
        try check(state, backend, connectionName, variableName)
    }

    func check(_ state: DeploymentState, _ backend: String, _ connectionName: String, _ variableName: String) throws {
        for (key, name) in [(SecretKey.connection("my_db"), connectionName), (.variable("region_name"), variableName)] {
            let row = try #require(state.resolve(key).tiers.first { $0.tier == .backend })
            #expect(row.lookup == .name(name), "\(backend): \(key)")
        }
    }

    @Test func aBackendThatCannotBeSetUpStillNamesTheSecret() throws {
        // Key Vault with no vault_url cannot be set up at all: the slot has no source.
        let deployment = Self.deployment("airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
                                         kwargs: #"{"connections_prefix": "airflow-connections"}"#)
        let slot = try #require(AppTierFactory().makeTiers(for: deployment, context: .server).first { $0.tier == .backend })
        #expect(slot.source == nil, "the test needs a backend that cannot be set up")
        let state = DeploymentState(deployment: deployment, context: .server, slots: [slot])
        let row = try #require(state.resolve(.connection("my_db")).tiers.first { $0.tier == .backend })
        #expect(row.lookup == .name("airflow-connections-my-db"))
    }
}
