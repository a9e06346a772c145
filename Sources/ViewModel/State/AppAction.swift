import Engine

/// Everything that can happen to the app, named for the event.
public enum AppAction: Sendable {
    case keyPressed(Key)
    case resized(Size)
    /// The clock advanced (reveal and message timers).
    case tick(now: Double)
    /// A deployment's loader started: its tiers are listed, all still loading.
    case deploymentStarted(generation: Int, state: DeploymentState, backend: BackendPaneInfo)
    case tierLoaded(generation: Int, tier: TierID, state: TierLoadState)
    /// Resolutions as list entries, built off the terminal thread (`Entry.init` is the costly part).
    case resolved(generation: Int, sequence: Int, entries: [Entry])
    /// The run loop applied (or failed to apply) a theme.
    case themeApplied(name: String, problem: String?)
    /// The deployments of a `:compare` were loaded and resolved.
    case comparisonLoaded(request: Int, results: [DeploymentResolutions])
    case interrupted
}

/// Work the reducer asks the run loop to do; the view model itself never does I/O.
public enum AppEffect: Sendable {
    /// Start loading `deployment` under `generation`; report `.deploymentStarted` then `.tierLoaded`s.
    case loadDeployment(Deployment, generation: Int)
    /// Resolve `state` off the terminal thread and report `.resolved`.
    case resolve(DeploymentState, generation: Int, sequence: Int)
    /// Put `text` on the clipboard (OSC 52). `what` names it for the log, never the value.
    case copyToClipboard(text: String, what: String)
    /// Load and apply a theme by name or path, then report `.themeApplied`.
    case applyTheme(String)
    /// Load every tier of each deployment, resolve them, and report `.comparisonLoaded`.
    case loadComparison([Deployment], request: Int)
    case quit
}
