import PythonCompat
/// The six secrets backends Airflow ships or documents, by family.
public enum BackendFamily: String, Sendable, Hashable, Codable, CaseIterable {
    case vault
    case secretsManager = "secrets_manager"
    case ssmParameterStore = "ssm"
    case gcpSecretManager = "gcp_secret_manager"
    case azureKeyVault = "azure_key_vault"
    case localFilesystem = "local_filesystem"
}

/// A configured secrets backend: `[secrets] backend` (or `[workers] secrets_backend`) and its kwargs,
/// as Airflow would read them from the deployment's environment.
public struct BackendConfiguration: Sendable, Hashable {
    /// The class path exactly as configured.
    public var classPath: String
    /// The recognised family, or `nil` for a class Strata does not know.
    public var family: BackendFamily?
    /// The keyword arguments Airflow would pass to the constructor, in order.
    public var kwargs: JSONObject
    /// Where each setting came from (environment variable names), for the backend pane.
    public var sources: [String]
    /// Things Airflow does silently that the user should know (invalid kwargs JSON ignored…).
    public var warnings: [String]

    public init(classPath: String, family: BackendFamily?, kwargs: JSONObject = JSONObject(),
                sources: [String] = [], warnings: [String] = []) {
        self.classPath = classPath
        self.family = family
        self.kwargs = kwargs
        self.sources = sources
        self.warnings = warnings
    }
}
