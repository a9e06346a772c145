import Foundation
import Engine

/// `CloudSecretManagerBackend`'s kwargs and the deployment environment, read as Airflow reads them.
struct GCPBackendSettings: Sendable {
    static let defaultEndpoint = URL(string: "https://secretmanager.googleapis.com")!
    static let defaultScope = "https://www.googleapis.com/auth/cloud-platform"
    /// Points the tier at another Secret Manager endpoint (a base URL; `/v1/...` follows).
    static let endpointVariable = "STRATA_GCP_SECRET_MANAGER_ENDPOINT"

    var naming: GCPSecretNaming
    /// The naming of Airflow 3.2+ multi-team mode (team names first, refusals), when it is on.
    var teamNaming: BackendNaming?
    /// project_id kwarg, or the project named by the credentials or the environment; nil means
    /// "ask the metadata server".
    var projectID: String?
    var scopes: [String]
    var credentials: GoogleCredentialSource
    var endpoint: URL

    init(configuration: BackendConfiguration, deployment: Deployment) throws {
        let kwargs = BackendKwargs(configuration)
        teamNaming = deployment.teamLookup.isMultiTeam
            ? BackendNaming(configuration: configuration, version: deployment.airflowVersion, teams: deployment.teamLookup) : nil
        naming = GCPSecretNaming(connectionsPrefix: try kwargs.string("connections_prefix", default: "airflow-connections"),
                                 variablesPrefix: try kwargs.string("variables_prefix", default: "airflow-variables"),
                                 separator: try kwargs.string("sep", default: "-") ?? "-")
        try naming.validate()
        if let chain = kwargs["impersonation_chain"], chain != .null, chain != .string(""), chain != .array([]) {
            throw TierError("impersonation_chain is set in \(kwargs.origin); Strata cannot impersonate service accounts yet, "
                            + "so it cannot read this backend as Airflow does.")
        }
        // Airflow passes gcp_scopes through as one comma-separated string.
        let scopeText = try kwargs.nonEmptyString("gcp_scopes")
        scopes = scopeText.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            ?? [Self.defaultScope]
        do {
            credentials = try GoogleCredentialSource.resolve(kwargs: kwargs, deployment: deployment)
        } catch let failure as CloudFailure {
            throw failure.tierError
        }
        let env = deployment.environment
        let environmentProject = ["GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"].lazy.compactMap { env[$0] }.first { !$0.isEmpty }
        projectID = try kwargs.nonEmptyString("project_id") ?? credentials.projectID ?? environmentProject
        if let override = env[Self.endpointVariable], !override.isEmpty {
            guard let url = URL(string: override), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw TierError("\(Self.endpointVariable) (\(override)) is not an http(s) base URL such as http://127.0.0.1:8080.")
            }
            endpoint = url
        } else {
            endpoint = Self.defaultEndpoint
        }
    }
}
