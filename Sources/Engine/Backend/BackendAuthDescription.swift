import PythonCompat
/// How a backend authenticates and where it connects, derived from kwargs and the deployment's
/// environment alone (no network): "AppRole role astro_role", "env keys · region eu-west-1".
struct BackendAuthDescription {
    var auth: String
    /// The address the backend talks to: Vault URL, region, vault URL, project, files.
    var location: String
    /// Settings with which Airflow does not start.
    var fatal: [String] = []
    /// Settings with which every lookup fails.
    var warnings: [String] = []

    init(family: BackendFamily?, kwargs: JSONObject, environment: DeploymentEnvironment) {
        auth = "unknown"
        location = ""
        let reader = Reader(kwargs: kwargs, environment: environment)
        switch family {
        case nil: break
        case .vault?: describeVault(reader)
        case .secretsManager?, .ssmParameterStore?: describeAWS(reader)
        case .gcpSecretManager?: describeGCP(reader)
        case .azureKeyVault?: describeAzure(reader)
        case .localFilesystem?:
            auth = "none (local files)"
            let files = [("conns", "connections_file_path"), ("vars", "variables_file_path")]
                .compactMap { label, name in reader.string(name).map { "\(label) \($0)" } }
            location = files.isEmpty ? "no files configured" : files.joined(separator: " · ")
        }
    }

    struct Reader {
        var kwargs: JSONObject
        var environment: DeploymentEnvironment

        /// A truthy string kwarg (Python's `if value:`).
        func string(_ name: String) -> String? {
            guard let s = kwargs[name]?.stringValue, !s.isEmpty else { return nil }
            return s
        }

        func has(_ name: String) -> Bool { kwargs[name]?.pythonTruthy ?? false }

        func env(_ name: String) -> String? {
            guard let s = environment[name], !s.isEmpty else { return nil }
            return s
        }
    }

    // MARK: Vault

    private mutating func describeVault(_ r: Reader) {
        let authType = r.kwargs["auth_type"].map { $0.stringValue ?? $0.displayText } ?? "token"
        let mount = r.string("auth_mount_point").map { " (auth mount \($0))" } ?? ""
        func require(_ condition: Bool, _ message: String) {
            if !condition { fatal.append("Vault \(message); VaultError at start-up, so Airflow does not start") }
        }
        switch authType {
        case "token":
            if r.has("token") { auth = "token (kwargs)" }
            else if let path = r.string("token_path") { auth = "token from file \(path)" }
            else if r.environment["VAULT_TOKEN"] != nil { auth = "token from VAULT_TOKEN" }
            else {
                auth = "token — none set"
                require(false, "'token' auth needs token, token_path or VAULT_TOKEN")
            }
        case "approle":
            auth = "AppRole" + (r.string("role_id").map { " role \($0)" } ?? "")
            require(r.has("role_id"), "'approle' auth needs role_id")
            if !r.has("secret_id") { warnings.append("AppRole without secret_id: the login sends none, which only works for roles with bind_secret_id off") }
        case "userpass", "ldap":
            auth = (authType == "ldap" ? "LDAP" : "userpass") + (r.string("username").map { " user \($0)" } ?? "")
        case "github":
            auth = "GitHub token"
            require(r.has("token") || r.has("token_path"), "'github' auth needs token or token_path")
        case "kubernetes":
            auth = "Kubernetes" + (r.string("kubernetes_role").map { " role \($0)" } ?? "")
            require(r.has("kubernetes_role"), "'kubernetes' auth needs kubernetes_role")
            require(r.kwargs["kubernetes_jwt_path"].map(\.pythonTruthy) ?? true, "'kubernetes' auth needs kubernetes_jwt_path")
        case "jwt":
            auth = "JWT" + (r.string("jwt_role").map { " role \($0)" } ?? "")
            require(r.has("jwt_role"), "'jwt' auth needs jwt_role")
            require(r.has("jwt_token") || r.has("jwt_token_path"), "'jwt' auth needs jwt_token or jwt_token_path")
        case "gcp":
            auth = "GCP" + (r.string("role_id").map { " role \($0)" } ?? "")
                + (r.has("gcp_keyfile_dict") ? " · key (kwargs)" : r.string("gcp_key_path").map { " · key file \($0)" } ?? "")
            require(r.has("gcp_scopes"), "'gcp' auth needs gcp_scopes")
            require(r.has("role_id"), "'gcp' auth needs role_id")
        case "aws_iam":
            auth = "AWS IAM" + (r.string("role_id").map { " role \($0)" } ?? "")
                + (r.has("key_id") ? " · keys (kwargs)" : " · boto3 credential chain")
        case "azure":
            auth = "azure"
            require(r.has("azure_resource"), "'azure' auth needs azure_resource")
            require(r.has("azure_tenant_id"), "'azure' auth needs azure_tenant_id")
            warnings.append("Vault 'azure' auth calls auth/azure/config instead of logging in; lookups fail unless VAULT_TOKEN provides a token")
        case "radius":
            auth = "RADIUS"
            require(r.has("radius_host"), "'radius' auth needs radius_host")
            require(r.has("radius_secret"), "'radius' auth needs radius_secret")
            warnings.append("Vault 'radius' auth calls auth/radius/config instead of logging in; lookups fail unless VAULT_TOKEN provides a token")
        default:
            auth = "unsupported auth_type \(authType)"
            fatal.append("Vault auth_type \(authType) is not one of approle, aws_iam, azure, github, gcp, jwt, "
                + "kubernetes, ldap, radius, token, userpass; VaultError at start-up, so Airflow does not start")
        }
        auth += mount
        let url = r.string("url").map { $0 } ?? r.env("VAULT_ADDR").map { "\($0) (VAULT_ADDR)" }
            ?? "http://localhost:8200 (default)"
        location = KwargMasking.maskURLPasswords(in: url) + (r.string("namespace").map { " · namespace \($0)" } ?? "")
    }

    // MARK: AWS

    private mutating func describeAWS(_ r: Reader) {
        var parts: [String] = []
        if r.has("aws_access_key_id") || r.has("aws_secret_access_key") { parts.append("keys in kwargs") }
        else if let profile = r.string("profile_name") { parts.append("profile \(profile)") }
        else if r.env("AWS_ACCESS_KEY_ID") != nil { parts.append("env keys") }
        else if let profile = r.env("AWS_PROFILE") { parts.append("profile \(profile) (AWS_PROFILE)") }
        else if r.env("AWS_WEB_IDENTITY_TOKEN_FILE") != nil { parts.append("web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)") }
        else { parts.append("default credential chain (instance or pod role)") }
        if let role = r.string("role_arn") { parts.append("assume \(role)") }
        auth = parts.joined(separator: " · ")
        var where_: [String] = []
        if let region = r.string("region_name") { where_.append("region \(region)") }
        else if let region = r.env("AWS_DEFAULT_REGION") { where_.append("region \(region)") }
        else if let region = r.env("AWS_REGION") { where_.append("region \(region) (AWS_REGION)") }
        else { where_.append("region not set") }
        if let endpoint = r.string("endpoint_url") { where_.append("endpoint \(KwargMasking.maskURLPasswords(in: endpoint))") }
        location = where_.joined(separator: " · ")
        // The common one-line form the design shows: "env keys · region eu-west-1".
        auth = ([auth] + where_.prefix(1)).joined(separator: " · ")
    }

    // MARK: GCP

    private mutating func describeGCP(_ r: Reader) {
        if r.has("gcp_keyfile_dict") { auth = "service account key (kwargs)" }
        else if let path = r.string("gcp_key_path") { auth = "service account key file \(path)" }
        else if r.has("gcp_credential_config_file") { auth = "credential configuration file" }
        else if let path = r.env("GOOGLE_APPLICATION_CREDENTIALS") { auth = "key file \(path) (GOOGLE_APPLICATION_CREDENTIALS)" }
        else { auth = "application default credentials (Workload Identity or metadata server)" }
        if let chain = r.kwargs["impersonation_chain"], chain.pythonTruthy {
            auth += " · impersonating " + (chain.stringValue ?? chain.displayText)
        }
        location = r.string("project_id").map { "project \($0)" }
            ?? r.env("GOOGLE_CLOUD_PROJECT").map { "project \($0) (GOOGLE_CLOUD_PROJECT)" }
            ?? "project from the credentials"
    }

    // MARK: Azure

    private mutating func describeAzure(_ r: Reader) {
        if r.has("tenant_id") && r.has("client_id") && r.has("client_secret") {
            auth = "client secret (kwargs) for client \(r.string("client_id") ?? "")"
        } else if r.env("AZURE_CLIENT_ID") != nil, r.env("AZURE_TENANT_ID") != nil, r.env("AZURE_CLIENT_SECRET") != nil {
            auth = "client secret from AZURE_* env (DefaultAzureCredential)"
        } else if r.env("AZURE_FEDERATED_TOKEN_FILE") != nil {
            auth = "workload identity (DefaultAzureCredential)"
        } else if let id = r.string("managed_identity_client_id") {
            auth = "managed identity \(id)"
        } else {
            auth = "DefaultAzureCredential (managed identity, Azure CLI…)"
        }
        if let url = r.string("vault_url") {
            location = url
        } else {
            location = "vault_url not set"
            warnings.append("vault_url is empty: SecretClient raises ValueError on the first lookup, so every "
                + "Key Vault lookup fails and Airflow falls through to the next tier")
        }
    }
}
