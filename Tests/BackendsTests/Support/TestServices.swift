import Foundation
import Testing
import Engine
import RemoteSupport
import TestSupport

/// The real servers scripts/services/*.sh start, found through the variables they export.
/// A test whose server is missing fails with what to run; it never skips.
enum TestServices {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func require(_ names: [String], service: String, script: String) throws -> [String] {
        let env = ProcessInfo.processInfo.environment
        let values = names.map { env[$0] ?? "" }
        guard !values.contains(where: \.isEmpty) else {
            throw Missing(description: "\(service) is not running: \(names.joined(separator: ", ")) must be set. Run scripts/test, "
                          + "which starts it, or `scripts/services/\(script).sh start && source $STRATA_SERVICES_ENV` before `swift test`.")
        }
        return values
    }

    /// A name no other test uses.
    static func unique(_ label: String) -> String {
        "\(label)\(UUID().uuidString.prefix(8).lowercased())"
    }

    // MARK: moto

    static let secretsManagerClass = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
    static let parameterStoreClass = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"

    /// A deployment whose backend is Secrets Manager or Parameter Store on moto, with prefixes
    /// of its own so that nothing else on the server is listed.
    static func awsDeployment(backend: String, prefix: String) throws -> Deployment {
        let moto = try require(["STRATA_TEST_MOTO_URL", "STRATA_TEST_MOTO_ACCESS_KEY_ID", "STRATA_TEST_MOTO_SECRET_ACCESS_KEY"],
                               service: "moto", script: "moto")
        let kwargs = #"{"connections_prefix": "\#(prefix)/connections", "variables_prefix": "\#(prefix)/variables"}"#
        var deployment = Deployment(name: "aws-\(prefix)", environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": backend,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": moto[1],
            "AWS_SECRET_ACCESS_KEY": moto[2],
            "AWS_ENDPOINT_URL": moto[0],
        ]))
        deployment.timeouts = .sharedTestServers
        return deployment
    }

    // MARK: OpenBao

    static let vaultClass = "airflow.providers.hashicorp.secrets.vault.VaultBackend"

    /// A deployment whose backend is a fresh KV mount on the OpenBao dev server.
    static func vaultDeployment(kvVersion: Int = 2) async throws -> (Deployment, mount: String) {
        let bao = try require(["STRATA_TEST_VAULT_ADDR", "STRATA_TEST_VAULT_TOKEN"], service: "OpenBao", script: "openbao")
        let mount = unique("edit")
        try await vault("POST", "sys/mounts/\(mount)", ["type": "kv", "options": ["version": String(kvVersion)]])
        let kwargs: [String: Any] = ["url": bao[0], "token": bao[1], "mount_point": mount, "kv_engine_version": kvVersion]
        return (Deployment(name: "vault-\(mount)", environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": vaultClass,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": json(kwargs),
        ])), mount)
    }

    /// Calls OpenBao's API with the root token; a status outside 2xx throws.
    @discardableResult
    static func vault(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let bao = try require(["STRATA_TEST_VAULT_ADDR", "STRATA_TEST_VAULT_TOKEN"], service: "OpenBao", script: "openbao")
        let transport = try HTTPClientTransport.shared(log: nil)
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let response = try await transport.send(HTTPRequest(method: method, url: URL(string: "\(bao[0])/v1/\(path)")!,
                                                            headers: [("X-Vault-Token", bao[1])], body: bytes))
        guard (200..<300).contains(response.status) else {
            throw Missing(description: "OpenBao \(method) \(path) answered HTTP \(response.status)")
        }
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    // MARK: Cloud doubles

    static let gcpClass = "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend"
    static let azureClass = "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend"

    static func doubles() throws -> (dir: String, gcpURL: String, azureURL: String, azureCA: String) {
        let v = try require(["STRATA_CLOUD_DOUBLES_DIR", "STRATA_GCP_DOUBLE_URL", "STRATA_AZURE_DOUBLE_URL", "STRATA_AZURE_DOUBLE_CA_FILE"],
                            service: "the GCP/Azure test doubles", script: "cloud-doubles")
        return (v[0], v[1], v[2], v[3])
    }

    static func doubleDetails(_ file: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: try doubles().dir).appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url), let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Missing(description: "\(url.path) is missing; restart scripts/services/cloud-doubles.sh.")
        }
        return object
    }

    /// A deployment on the GCP double, in a project of its own (the Astro guide's local set-up).
    static func gcpDeployment(project: String) throws -> Deployment {
        let d = try doubles()
        let keyPath = try doubleDetails("gcp.json")["service_account_key"] as? String ?? ""
        let keyText = try String(contentsOfFile: keyPath, encoding: .utf8)
        let kwargs: [String: Any] = ["connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables",
                                     "gcp_keyfile_dict": keyText, "project_id": project]
        return Deployment(name: "gcp-\(project)", environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": gcpClass, "AIRFLOW__SECRETS__BACKEND_KWARGS": json(kwargs),
            "STRATA_GCP_SECRET_MANAGER_ENDPOINT": d.gcpURL, "HOME": "/nonexistent-home",
        ]))
    }

    /// A deployment on the Azure double, with a vault of its own.
    static func azureDeployment(vault: String) throws -> Deployment {
        let d = try doubles()
        let azure = try doubleDetails("azure.json")
        let kwargs: [String: Any] = ["connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables",
                                     "vault_url": d.azureURL + "/vaults/" + vault, "verify_challenge_resource": false]
        return Deployment(name: "azure-\(vault)", environment: DeploymentEnvironment([
            "AZURE_CLIENT_ID": azure["client_id"] as? String ?? "", "AZURE_TENANT_ID": azure["tenant_id"] as? String ?? "",
            "AZURE_CLIENT_SECRET": azure["client_secret"] as? String ?? "", "AZURE_AUTHORITY_HOST": d.azureURL,
            "REQUESTS_CA_BUNDLE": d.azureCA,
            "AIRFLOW__SECRETS__BACKEND": azureClass, "AIRFLOW__SECRETS__BACKEND_KWARGS": json(kwargs),
        ]))
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
