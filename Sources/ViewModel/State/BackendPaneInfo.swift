/// What the Active backend pane shows about a deployment's configured secrets backend.
/// The caller fills it from the Engine's backend report; every line is already safe to show
/// (secret kwargs masked).
public struct BackendPaneInfo: Sendable, Hashable {
    /// "AWS Secrets Manager", "Local files", or "none" when no backend is configured.
    public var friendlyName: String
    /// The class path as configured.
    public var className: String?
    /// `name = value` lines with secret values masked.
    public var kwargs: [String]
    /// How ids become names: "conns airflow/connections/<id>", "vars airflow/variables/<key>".
    public var namingScheme: [String]
    /// How Strata authenticates ("env keys · region eu-west-1", "token from VAULT_TOKEN").
    public var auth: String?
    /// Things Airflow does silently that the user should know.
    public var warnings: [String]

    public init(friendlyName: String, className: String? = nil, kwargs: [String] = [],
                namingScheme: [String] = [], auth: String? = nil, warnings: [String] = []) {
        self.friendlyName = friendlyName
        self.className = className
        self.kwargs = kwargs
        self.namingScheme = namingScheme
        self.auth = auth
        self.warnings = warnings
    }

    /// A deployment with no secrets backend configured.
    public static let none = BackendPaneInfo(friendlyName: "none",
                                             warnings: ["no secrets backend configured: Airflow starts at the environment"])
}
