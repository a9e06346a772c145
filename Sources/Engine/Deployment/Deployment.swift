import Foundation

/// One Airflow environment: its environment variables (which also carry the backend
/// configuration), its metastore, and the Airflow major version it runs.
public struct Deployment: Sendable, Identifiable, Equatable {
    public var name: String
    public var airflowVersion: AirflowVersion
    public var environment: DeploymentEnvironment
    /// An Astro project's `airflow_settings.yaml`, loaded into the metastore by `astro dev start`.
    public var airflowSettingsFile: URL?
    /// The metastore URL from the workspace file (`sqlite:///…`, `postgresql://…`), if any.
    public var metastoreURL: String?
    public var readOnly: Bool
    /// The folder relative paths in this deployment's settings were resolved against.
    public var baseDirectory: URL
    /// The Astro project folder, when the deployment is one. Airflow runs there
    /// (`/usr/local/airflow` in the image), so relative backend file paths start there.
    public var projectDirectory: URL?
    /// The dotenv files the environment was read from, in order (a later file wins). Edits to
    /// the environment tier go to the file that set the variable, or the last one for a new one.
    public var envFiles: [URL] = []
    /// How long remote tiers may take (`timeouts:` in the workspace file).
    public var timeouts: RemoteTimeouts = .standard
    /// The deployment's Airflow REST API (`api:`): the metastore tier when no database is given.
    public var api: AirflowAPISettings?
    /// The Airflow 3.2+ team this deployment's tasks belong to (`team:`): with `[core]
    /// multi_team` on, every lookup is made for it (see `teamLookup`).
    public var team: String?

    public var id: String { name }

    public init(name: String, airflowVersion: AirflowVersion = .v3,
                environment: DeploymentEnvironment = DeploymentEnvironment(),
                airflowSettingsFile: URL? = nil, metastoreURL: String? = nil, readOnly: Bool = false,
                baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.name = name
        self.airflowVersion = airflowVersion
        self.environment = environment
        self.airflowSettingsFile = airflowSettingsFile
        self.metastoreURL = metastoreURL
        self.readOnly = readOnly
        self.baseDirectory = baseDirectory
        self.projectDirectory = nil
    }

    /// Where Airflow's working directory is for this deployment: the project folder, or the
    /// workspace folder.
    public var workingDirectory: URL { projectDirectory ?? baseDirectory }

    /// A file path as Airflow inside this deployment would open it. Relative paths start at the
    /// working directory; `/usr/local/airflow/…` (the Astro image's home) maps into the project.
    public func localPath(_ path: String) -> URL {
        let astroHome = "/usr/local/airflow/"
        if let project = projectDirectory, path.hasPrefix(astroHome),
           !FileManager.default.fileExists(atPath: path) {
            return project.appendingPathComponent(String(path.dropFirst(astroHome.count)))
        }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        // Append rather than resolve relative to the folder URL, which would drop its last
        // component when the URL does not end in a slash.
        return workingDirectory.appendingPathComponent(path).standardizedFileURL
    }
}

/// Where a deployment's environment variable was set.
public enum EnvironmentOrigin: Sendable, Hashable {
    /// The workspace file's inline `env` map.
    case inline
    /// A dotenv file, with the 1-based line number.
    case file(path: String, line: Int)
    /// Strata's own process environment, when the user asked for it.
    case process
}
