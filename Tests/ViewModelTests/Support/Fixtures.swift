import Engine
import TestSupport
import ViewModel

/// The deployments the view-model tests browse: every state the screen has to show.
enum Sample {
    static let backendPassword = "backend-pw-1"

    static var backend: InMemoryTier {
        InMemoryTier(.backend, label: "Local files", records: [
            .connection("my_postgres", Connection(connType: "postgres", host: "db.internal", login: "etl",
                                                   password: backendPassword, schema: "analytics", port: 5432,
                                                   extra: #"{"sslmode": "require", "api_token": "tok-123", "retries": 3}"#)),
            .variable("region", "eu-west-1"),
            .variable("数据库密码", "秘密の値"),
            .variable("🚀_launch", "go"),
        ])
    }

    static var env: InMemoryTier {
        InMemoryTier(.env, label: "environment", records: [
            .connection("AIRFLOW_CONN_MY_POSTGRES", Connection(connType: "postgres", host: "localhost", login: "etl",
                                                               password: "env-pw", schema: "analytics", port: 5432),
                        id: "my_postgres"),
            .variable("AIRFLOW_VAR_REGION", "eu-west-1", id: "region"),
            .variable("AIRFLOW_VAR_MY_VAR", "from env", id: "my_var"),
            .variable("AIRFLOW_VAR_BAD\u{1b}[2JID\u{202e}", "x", id: "bad\u{1b}[2Jid\u{202e}"),
        ], naming: InMemoryTier.environmentNaming)
    }

    static var metastore: InMemoryTier {
        InMemoryTier(.metastore, label: "metastore (sqlite)", records: [
            .variable("region", "us-east-1"),
            .variable("my_var", "lower"),
            .variable("MY_VAR", "upper"),
            .record(.connection, "locked_conn", .unreadable(reason: "the Fernet key does not decrypt it: set the deployment's fernet_key")),
        ])
    }

    static let local = Deployment(name: "local", airflowVersion: .v3)
    static let prod = Deployment(name: "prod", airflowVersion: .v2, readOnly: true)

    /// Tiers per deployment: local has all three, prod's backend fails.
    struct Factory: TierFactory {
        func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
            if deployment.name == "prod" {
                return [
                    TierSlot(source: InMemoryTier(.backend, label: "AWS Secrets Manager", records: [],
                                                  failure: "AWS Secrets Manager refused the credentials: check AWS_PROFILE")),
                    TierSlot(source: InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_REGION", "eu-central-1", id: "region")],
                                                  naming: InMemoryTier.environmentNaming)),
                    TierSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore"), reason: "not configured"),
                ]
            }
            return [TierSlot(source: backend), TierSlot(source: env), TierSlot(source: metastore)]
        }
    }

    static let backendInfo = BackendPaneInfo(
        friendlyName: "Local files", className: "airflow.secrets.local_filesystem.LocalFilesystemBackend",
        kwargs: ["variables_file_path = include/variables.json", "connections_file_path = include/conns.yaml"],
        namingScheme: ["conns <id>", "vars <key>"], auth: "files on disk")

    static func harness(size: Size = Size(columns: 100, rows: 30), initial: String? = nil) -> Harness {
        let harness = Harness(deployments: [local, prod], factory: Factory(), size: size, initial: initial)
        harness.backendInfo = { $0.name == "local" ? backendInfo : BackendPaneInfo(friendlyName: "AWS Secrets Manager",
            className: "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
            kwargs: ["region_name = eu-west-1", "aws_secret_access_key = ***"],
            namingScheme: ["conns airflow/connections/<id>", "vars airflow/variables/<key>"], auth: "access keys from kwargs") }
        return harness
    }
}
