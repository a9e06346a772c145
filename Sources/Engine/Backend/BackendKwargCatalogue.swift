/// One keyword argument a backend class declares.
public struct BackendKwargSpec: Sendable, Hashable, Codable {
    public var name: String
    /// The default as Python writes it (`"airflow/connections"`, `None`, `2`).
    public var defaultValue: String
    /// Whether the value is a credential and must never be shown.
    public var isSecret: Bool
    public var summary: String

    public init(_ name: String, _ defaultValue: String, secret: Bool = false, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.isSecret = secret
        self.summary = summary
    }
}

/// What happens to a kwarg the user configured.
public enum KwargDisposition: String, Sendable, Hashable, Codable {
    /// A parameter of the backend class itself.
    case parameter
    /// Not a parameter: forwarded through `**kwargs` to the SDK client or its configuration.
    case passedToClient = "passed_to_client"
    /// Accepted and then never read (an AWS "extra" nothing uses, a removed option).
    case ignored
    /// The class rejects it with `TypeError` when Airflow builds the backend: Airflow does not start.
    case failsAtStartup = "fails_at_startup"
    /// Accepted at start-up but the client rejects it when first used: every lookup fails and
    /// Airflow falls through to the next tier.
    case failsAtLookup = "fails_at_lookup"
}

/// How Strata classifies one configured kwarg.
public struct KwargClassification: Sendable, Hashable, Codable {
    public var name: String
    public var disposition: KwargDisposition
    public var isSecret: Bool
    /// Where it goes or why it is a problem ("passed to hvac.Client", "removed in amazon 9.0"…).
    public var note: String

    public var isUnknown: Bool { disposition != .parameter && disposition != .passedToClient }
}

/// The documented kwargs of one backend family (latest providers, as in the spec §5), and how
/// the class treats anything else.
public struct BackendKwargCatalogue: Sendable {
    public var family: BackendFamily
    /// The class's own parameters, in signature order.
    public var parameters: [BackendKwargSpec]
    /// Names the class forwards through `**kwargs` to a client that understands them.
    public var clientParameters: [BackendKwargSpec]
    /// What receives `**kwargs` ("hvac.Client", "the AWS connection extra", …), or `nil` when
    /// the class takes none.
    public var passThroughTarget: String?

    /// The catalogue of `family`.
    public static func of(_ family: BackendFamily) -> BackendKwargCatalogue {
        switch family {
        case .vault: return vault
        case .secretsManager: return secretsManager
        case .ssmParameterStore: return ssm
        case .gcpSecretManager: return gcp
        case .azureKeyVault: return azure
        case .localFilesystem: return localFilesystem
        }
    }

    /// The declared parameter or client parameter called `name`.
    public func spec(named name: String) -> BackendKwargSpec? {
        parameters.first { $0.name == name } ?? clientParameters.first { $0.name == name }
    }

    /// How the class treats a configured kwarg called `name`.
    public func classify(_ name: String, version: AirflowVersion = .v3) -> KwargClassification {
        if let spec = parameters.first(where: { $0.name == name }) {
            if family == .localFilesystem, name == "configs_file_path", version == .v2 {
                return KwargClassification(name: name, disposition: .failsAtStartup, isSecret: false,
                    note: "configs_file_path exists from Airflow 3.2; Airflow 2 fails to start with TypeError")
            }
            return KwargClassification(name: name, disposition: .parameter, isSecret: spec.isSecret, note: spec.summary)
        }
        if let spec = clientParameters.first(where: { $0.name == name }) {
            return KwargClassification(name: name, disposition: .passedToClient, isSecret: spec.isSecret,
                                       note: "passed to \(passThroughTarget ?? "the client"): \(spec.summary)")
        }
        let secret = SensitiveNames.isSensitive(name)
        switch family {
        case .localFilesystem:
            return KwargClassification(name: name, disposition: .failsAtStartup, isSecret: secret,
                note: "LocalFilesystemBackend takes no other kwargs: Airflow fails to start with TypeError")
        case .gcpSecretManager:
            return KwargClassification(name: name, disposition: .failsAtStartup, isSecret: secret,
                note: "CloudSecretManagerBackend hands unknown kwargs to LoggingMixin.__init__, which "
                    + "rejects them: Airflow fails to start with TypeError")
        case .vault:
            return KwargClassification(name: name, disposition: .failsAtLookup, isSecret: secret,
                note: "passed to hvac.Client, which rejects it with TypeError when the client is first "
                    + "created: every Vault lookup fails and Airflow falls through to the next tier")
        case .secretsManager, .ssmParameterStore:
            if ["full_url_mode", "are_secret_values_urlencoded"].contains(name) {
                return KwargClassification(name: name, disposition: .ignored, isSecret: secret,
                    note: "deprecated in amazon provider 8.x and removed in 9.0; now an unused AWS connection extra")
            }
            if family == .ssmParameterStore, ["sep", "extra_conn_words"].contains(name) {
                return KwargClassification(name: name, disposition: .ignored, isSecret: secret,
                    note: "a Secrets Manager option; SSM always joins with \"/\", so this becomes an unused AWS connection extra")
            }
            return KwargClassification(name: name, disposition: .ignored, isSecret: secret,
                note: "not a backend option: it becomes an AWS connection extra that nothing reads")
        case .azureKeyVault:
            return KwargClassification(name: name, disposition: .passedToClient, isSecret: secret,
                note: "passed to SecretClient (azure-core pipeline options); Strata cannot check it")
        }
    }
}

extension BackendKwargCatalogue {
    static let vault = BackendKwargCatalogue(
        family: .vault,
        parameters: [
            .init("connections_path", "\"connections\"", "base path of connections under the mount; a list is tried in order (4.x); None disables"),
            .init("variables_path", "\"variables\"", "base path of variables; a list is tried in order (4.x); None disables"),
            .init("config_path", "\"config\"", "base path of config options; None disables"),
            .init("use_team_secrets_path", "True", "multi-team: look under <base>/<team>/<key> (3.2+)"),
            .init("global_secrets_path", "None", "deprecated: appended to every path list as a last fallback"),
            .init("url", "None", "Vault address; else VAULT_ADDR, else http://localhost:8200"),
            .init("auth_type", "\"token\"", "approle, aws_iam, azure, github, gcp, jwt, kubernetes, ldap, radius, token or userpass"),
            .init("auth_mount_point", "None", "mount of the auth method (default: the method's name)"),
            .init("mount_point", "\"secret\"", "KV engine mount; None means the key's first segment is the mount"),
            .init("kv_engine_version", "2", "KV secrets engine version, 1 or 2"),
            .init("token", "None", secret: true, "token for token/github auth (else token_path, else VAULT_TOKEN)"),
            .init("token_path", "None", "file holding the token"),
            .init("username", "None", "userpass / ldap user"),
            .init("password", "None", secret: true, "userpass / ldap password"),
            .init("key_id", "None", "aws_iam access key id"),
            .init("secret_id", "None", secret: true, "AppRole secret id, or aws_iam secret access key"),
            .init("role_id", "None", "AppRole role id; Vault role for aws_iam and gcp"),
            .init("assume_role_kwargs", "None", "aws_iam: arguments for sts.assume_role"),
            .init("region", "None", "aws_iam region (4.x)"),
            .init("kubernetes_role", "None", "kubernetes auth role"),
            .init("kubernetes_jwt_path", "\"/var/run/secrets/kubernetes.io/serviceaccount/token\"", "kubernetes service-account token file"),
            .init("gcp_key_path", "None", "gcp auth: service account key file"),
            .init("gcp_keyfile_dict", "None", secret: true, "gcp auth: service account key"),
            .init("gcp_scopes", "None", "gcp auth: OAuth scopes"),
            .init("azure_tenant_id", "None", "azure auth tenant"),
            .init("azure_resource", "None", "azure auth resource"),
            .init("radius_host", "None", "radius host"),
            .init("radius_secret", "None", secret: true, "radius shared secret"),
            .init("radius_port", "None", "radius port"),
            .init("jwt_role", "None", "jwt auth role (4.x)"),
            .init("jwt_token", "None", secret: true, "jwt auth token (4.x)"),
            .init("jwt_token_path", "None", "file holding the jwt (4.x)"),
        ],
        clientParameters: [
            .init("namespace", "None", "Vault Enterprise / HCP namespace (X-Vault-Namespace)"),
            .init("verify", "True", "TLS verification, or a CA bundle path"),
            .init("cert", "None", "client certificate and key paths"),
            .init("proxies", "None", secret: true, "HTTP proxies (their URLs may hold credentials)"),
            .init("timeout", "30", "request timeout in seconds"),
            .init("allow_redirects", "True", "follow redirects"),
            .init("session", "None", "a requests.Session (not expressible in JSON)"),
            .init("adapter", "JSONAdapter", "hvac adapter class (not expressible in JSON)"),
            .init("ignore_exceptions", "False", "hvac adapter option"),
            .init("strict_http", "False", "hvac adapter option"),
            .init("request_header", "True", "send X-Vault-Request"),
        ],
        passThroughTarget: "hvac.Client")

    /// The AWS connection-extra keys the amazon provider reads, shared by SM and SSM.
    static let awsClientParameters: [BackendKwargSpec] = [
        .init("region_name", "None", "AWS region; else AWS_DEFAULT_REGION / AWS_REGION"),
        .init("profile_name", "None", "profile from the shared AWS config"),
        .init("aws_access_key_id", "None", "access key id"),
        .init("aws_secret_access_key", "None", secret: true, "secret access key"),
        .init("aws_session_token", "None", secret: true, "session token"),
        .init("session_kwargs", "None", secret: true, "deprecated boto3 session arguments (may hold keys)"),
        .init("endpoint_url", "None", "custom endpoint (moto, LocalStack, VPC endpoint)"),
        .init("verify", "None", "TLS verification, or a CA bundle path"),
        .init("role_arn", "None", "role to assume"),
        .init("assume_role_method", "\"assume_role\"", "assume_role, assume_role_with_saml or assume_role_with_web_identity"),
        .init("assume_role_kwargs", "None", "extra arguments for the assume-role call"),
        .init("assume_role_with_saml", "None", "SAML assume-role settings"),
        .init("assume_role_with_web_identity_federation", "None", "web-identity federation (e.g. google)"),
        .init("assume_role_with_web_identity_token_file", "None", "web-identity token file"),
        .init("assume_role_with_web_identity_federation_audience", "None", "web-identity audience"),
        .init("config_kwargs", "None", "botocore Config arguments"),
        .init("service_config", "None", "per-service settings"),
        .init("api_version", "None", "boto3 client api_version (popped by the backend)"),
        .init("use_ssl", "None", "boto3 client use_ssl (popped by the backend)"),
    ]

    static let secretsManager = BackendKwargCatalogue(
        family: .secretsManager,
        parameters: [
            .init("connections_prefix", "\"airflow/connections\"", "secret-name prefix of connections; None disables"),
            .init("connections_lookup_pattern", "None", "only ids matching this regex (re.match, ignoring case) are looked up"),
            .init("variables_prefix", "\"airflow/variables\"", "secret-name prefix of variables; None disables"),
            .init("variables_lookup_pattern", "None", "only keys matching this regex are looked up"),
            .init("config_prefix", "\"airflow/config\"", "secret-name prefix of config options; None disables"),
            .init("config_lookup_pattern", "None", "only config keys matching this regex are looked up"),
            .init("sep", "\"/\"", "joins prefix and id"),
            .init("extra_conn_words", "None", "extra JSON-secret key aliases per connection field"),
        ],
        clientParameters: awsClientParameters,
        passThroughTarget: "the AWS connection extra / boto3 client")

    static let ssm = BackendKwargCatalogue(
        family: .ssmParameterStore,
        parameters: [
            .init("connections_prefix", "\"/airflow/connections\"", "parameter-path prefix of connections; None disables"),
            .init("connections_lookup_pattern", "None", "only ids matching this regex (re.match, ignoring case) are looked up"),
            .init("variables_prefix", "\"/airflow/variables\"", "parameter-path prefix of variables; None disables"),
            .init("variables_lookup_pattern", "None", "only keys matching this regex are looked up"),
            .init("config_prefix", "\"/airflow/config\"", "parameter-path prefix of config options; None disables"),
            .init("config_lookup_pattern", "None", "only config keys matching this regex are looked up"),
        ],
        clientParameters: awsClientParameters,
        passThroughTarget: "the AWS connection extra / boto3 client")

    static let gcp = BackendKwargCatalogue(
        family: .gcpSecretManager,
        parameters: [
            .init("connections_prefix", "\"airflow-connections\"", "secret-id prefix of connections; None disables"),
            .init("variables_prefix", "\"airflow-variables\"", "secret-id prefix of variables; None disables"),
            .init("config_prefix", "\"airflow-config\"", "secret-id prefix of config options; None disables"),
            .init("gcp_keyfile_dict", "None", secret: true, "service account key (JSON)"),
            .init("gcp_key_path", "None", "service account key file"),
            .init("gcp_credential_config_file", "None", secret: true, "credential configuration file path or content"),
            .init("gcp_scopes", "None", "comma-separated OAuth scopes"),
            .init("project_id", "None", "project holding the secrets; else the credentials' project"),
            .init("sep", "\"-\"", "joins prefix and id"),
            .init("impersonation_chain", "None", "service account(s) to impersonate"),
        ],
        clientParameters: [
            .init("context", "None", "LoggingMixin context (harmless)"),
        ],
        passThroughTarget: "LoggingMixin.__init__")

    static let azure = BackendKwargCatalogue(
        family: .azureKeyVault,
        parameters: [
            .init("connections_prefix", "\"airflow-connections\"", "secret-name prefix of connections; None disables"),
            .init("variables_prefix", "\"airflow-variables\"", "secret-name prefix of variables; None disables"),
            .init("config_prefix", "\"airflow-config\"", "secret-name prefix of config options; None disables"),
            .init("vault_url", "\"\"", "https://<vault>.vault.azure.net/"),
            .init("sep", "\"-\"", "joins prefix and id, and replaces every \"_\" in the name"),
            .init("tenant_id", "\"\"", "client-secret credential: tenant"),
            .init("client_id", "\"\"", "client-secret credential: application (client) id"),
            .init("client_secret", "\"\"", secret: true, "client-secret credential: secret"),
            .init("managed_identity_client_id", "\"\"", "user-assigned managed identity"),
            .init("workload_identity_tenant_id", "\"\"", "workload identity tenant"),
        ],
        clientParameters: [
            .init("api_version", "SDK default", "Key Vault REST api-version"),
            .init("verify_challenge_resource", "True", "check the auth challenge's resource matches the vault"),
        ],
        passThroughTarget: "SecretClient")

    static let localFilesystem = BackendKwargCatalogue(
        family: .localFilesystem,
        parameters: [
            .init("variables_file_path", "None", "file of variables (.env, .json, .yaml, .yml); unset disables"),
            .init("connections_file_path", "None", "file of connections; unset disables"),
            .init("configs_file_path", "None", "file of config options (3.2+)"),
        ],
        clientParameters: [],
        passThroughTarget: nil)
}
