import Engine
import Testing

/// The settings of each backend in reference/astro-secrets-backend-guide.txt, and the secret names
/// the guide tells users to create. Where the guide's prose is wrong, the test follows Airflow
/// (spec §5) and says so.
@Suite("Astro secrets-backend guide: every example's names")
struct AstroGuideBackendTests {
    func settings(_ env: [String: String]) -> (BackendNaming, BackendReport) {
        let environment = DeploymentEnvironment(env)
        let settings = BackendConfiguration.read(from: environment, version: .v3)
        let configuration = settings.secrets!
        return (BackendNaming(configuration: configuration),
                BackendReport(configuration: configuration, environment: environment, version: .v3))
    }

    @Test func awsSecretsManagerLocal() {
        let (naming, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#,
            "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "guide-secret",
        ])
        // "airflow/variables/<variable-key>", "airflow/connections/<connection-id>", no leading '/'.
        #expect(naming.lookupName(for: .variable("variable-key")) == .name("airflow/variables/variable-key"))
        #expect(naming.lookupName(for: .connection("connection-id")) == .name("airflow/connections/connection-id"))
        #expect(report.auth == "env keys · region eu-west-1")
        #expect(report.displayName == "AWS Secrets Manager")
        #expect(report.unknownKwargs.isEmpty)
        #expect(report.warnings.isEmpty)
    }

    @Test func awsSecretsManagerOnAstroWithARole() {
        let (naming, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables", "role_arn": "arn:aws:iam::123456789012:role/astro", "region_name": "us-east-1"}"#,
        ])
        #expect(naming.lookupName(for: .variable("my_var")) == .name("airflow/variables/my_var"))
        #expect(report.auth == "default credential chain (instance or pod role) · assume arn:aws:iam::123456789012:role/astro · region us-east-1")
        #expect(report.kwargs.map(\.disposition) == [.parameter, .parameter, .passedToClient, .passedToClient])
    }

    @Test func hashicorpVaultWithAppRole() {
        let (naming, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_path": "connections", "variables_path": "variables", "config_path": null, "url": "http://host.docker.internal:8200", "auth_type": "approle", "role_id":"astro_role", "secret_id":"guide-approle-secret"}"#,
        ])
        // `vault kv put secret/variables/<key> value=…` and `secret/connections/<id> conn_uri=…`.
        #expect(naming.lookupName(for: .variable("my_var")) == .name("secret/variables/my_var"))
        #expect(naming.lookupName(for: .connection("my_conn")) == .name("secret/connections/my_conn"))
        // `vault secrets enable -path=secret -version=2 kv`: KV v2 API path.
        #expect(naming.vaultAPIPath(for: .variable("my_var")) == "/v1/secret/data/variables/my_var")
        #expect(report.auth == "AppRole role astro_role")
        #expect(report.location == "http://host.docker.internal:8200")
        #expect(report.airflowStarts)
        #expect(!report.textLines.joined().contains("guide-approle-secret"))
    }

    @Test func hashicorpVaultOnHCPWithANamespace() {
        let (naming, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_path": "connections", "variables_path": "variables", "config_path": null, "url": "https://my-cluster.hashicorp.cloud:8200", "namespace": "admin", "auth_type": "approle", "role_id":"astro_role", "secret_id":"s"}"#,
        ])
        #expect(naming.lookupName(for: .connection("my_conn")) == .name("secret/connections/my_conn"))
        #expect(report.location == "https://my-cluster.hashicorp.cloud:8200 · namespace admin")
        #expect(report.unknownKwargs.isEmpty)
    }

    @Test func ssmParameterStore() {
        let (naming, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables", "role_arn": "arn:aws:iam::123456789012:role/astro", "region_name": "eu-central-1"}"#,
        ])
        // "Variables and connections should be stored in /airflow/variables and /airflow/connections":
        // the prefixes have no leading '/', and SSM adds it. (The guide's "my_secret … in
        // /airflow/connections/" is a slip: a variable lives under /airflow/variables/.)
        #expect(naming.lookupName(for: .variable("my_secret")) == .name("/airflow/variables/my_secret"))
        #expect(naming.lookupName(for: .connection("my_conn")) == .name("/airflow/connections/my_conn"))
        #expect(report.displayName == "AWS SSM Parameter Store")
    }

    @Test func googleCloudSecretManagerWithAKey() {
        let (naming, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables", "gcp_keyfile_dict": "guide-service-account-key"}"#,
        ])
        // `gcloud secrets create airflow-variables-<my-secret-variable>`.
        #expect(naming.lookupName(for: .variable("my-secret-variable")) == .name("airflow-variables-my-secret-variable"))
        #expect(naming.lookupName(for: .connection("my_conn")) == .name("airflow-connections-my_conn"))
        #expect(report.auth == "service account key (kwargs)")
        #expect(!report.textLines.joined().contains("guide-service-account-key"))
        #expect(report.airflowStarts)
    }

    @Test func googleCloudSecretManagerWithWorkloadIdentity() {
        let (_, report) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables", "project_id": "my-secrets-project"}"#,
        ])
        #expect(report.auth == "application default credentials (Workload Identity or metadata server)")
        #expect(report.location == "project my-secrets-project")
    }

    @Test func azureKeyVault() {
        let (naming, report) = settings([
            "AZURE_CLIENT_ID": "client", "AZURE_TENANT_ID": "tenant", "AZURE_CLIENT_SECRET": "guide-client-secret",
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables", "vault_url": "https://my-vault.vault.azure.net/"}"#,
        ])
        // The guide says "airflow/variables/*"; Key Vault names cannot hold '/', and Airflow joins
        // with sep '-' and turns every '_' into '-'.
        #expect(naming.lookupName(for: .variable("my_var")) == .name("airflow-variables-my-var"))
        #expect(naming.lookupName(for: .connection("my_conn")) == .name("airflow-connections-my-conn"))
        #expect(report.auth == "client secret from AZURE_* env (DefaultAzureCredential)")
        #expect(report.location == "https://my-vault.vault.azure.net/")
    }

    @Test func azureKeyVaultWithoutPrefixes() {
        // "set the values for sep, connections_prefix and variables_prefix to \"\"".
        let (naming, _) = settings([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "", "variables_prefix": "", "sep": "", "vault_url": "https://v.vault.azure.net/"}"#,
        ])
        #expect(naming.lookupName(for: .variable("region")) == .name("region"))
        // With sep "" the '_' → sep rule deletes underscores.
        #expect(naming.lookupName(for: .connection("my_conn")) == .name("myconn"))
    }
}
