import Engine

/// What a front end starts the app with: the workspace's deployments and the choices made on
/// the command line. The terminal builds its first `AppState` from it.
public struct AppConfiguration: Sendable {
    public var deployments: [Deployment]
    /// The deployment to open first (`--deployment`); nil opens the first.
    public var initialDeployment: String?
    public var context: LookupContext
    /// How connections are written out for copying (the Engine's codec for `context` by default).
    public var formats: ConnectionFormats
    /// `--read-only`: every write is refused and the edit actions are hidden.
    public var readOnly: Bool
    /// `--theme`: a built-in name, a name in a themes folder, or a path. Wins over STRATA_THEME.
    public var theme: String?
    /// The workspace file's theme; used when neither --theme nor STRATA_THEME is set.
    public var workspaceTheme: String?

    public init(deployments: [Deployment], initialDeployment: String?, context: LookupContext,
                formats: ConnectionFormats? = nil, readOnly: Bool = false, theme: String? = nil, workspaceTheme: String? = nil) {
        self.deployments = deployments
        self.initialDeployment = initialDeployment
        self.context = context
        self.formats = formats ?? .engine(context: context)
        self.readOnly = readOnly
        self.theme = theme
        self.workspaceTheme = workspaceTheme
    }

    /// The theme request in force: --theme, then STRATA_THEME, then the workspace file.
    public func requestedTheme(environment: [String: String]) -> String? {
        if let theme, !theme.isEmpty { return theme }
        if let fromEnvironment = environment["STRATA_THEME"], !fromEnvironment.isEmpty { return fromEnvironment }
        return workspaceTheme
    }
}

extension AppState {
    /// The first state of an app started with `configuration` on a screen of `size`.
    public init(configuration: AppConfiguration, size: Size, themeName: String) {
        self.init(deployments: configuration.deployments, initialDeployment: configuration.initialDeployment, size: size,
                  themeName: themeName, formats: configuration.formats, readOnly: configuration.readOnly)
    }
}
