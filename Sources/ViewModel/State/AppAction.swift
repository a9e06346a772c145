import Editing
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
    /// The writers of a deployment's tiers are known (one slot per tier, with why one cannot be written).
    case writersReady(generation: Int, slots: [TierWriterSlot])
    /// A save finished: one outcome per staged change, and the workspace's deployments read
    /// again (nil when they could not be), so env files show what was written.
    case editsApplied(outcomes: [EditExecutor.Outcome], deployments: [Deployment]?)
    /// `$EDITOR` was closed: the text it saved, or why there is none.
    case externalEditFinished(text: String?, problem: String?)
    /// Text pasted in one piece (bracketed paste).
    case pasted(String)
    /// The deployment's Airflow answered a connection test (`t`).
    case connectionTested(id: String, outcome: ConnectionTestOutcome)
    /// The session's operations log changed.
    case operationsUpdated([OperationLog.Entry])
    /// A deployment `C` may copy into was loaded, with its writers.
    case copyTargetLoaded(request: Int, target: CopyTargetDeployment)
    /// A copy under way finished `done` of `total` keys.
    case copyProgress(request: Int, done: Int, total: Int)
    /// A copy finished: what each key did, checked against the target deployment read again
    /// (`reloaded`), and the workspace's deployments read again (nil when they could not be).
    case copyApplied(request: Int, outcomes: [CopyOutcome], reloaded: DeploymentState, deployments: [Deployment]?)
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
    /// Apply a checked plan through the tiers' writers, read the workspace again, and report `.editsApplied`.
    case applyEdits(EditPlan, writers: [TierWriterSlot])
    /// Ask `deployment`'s Airflow to test `connection` under `id`, then report `.connectionTested`.
    case testConnection(Deployment, id: String, connection: Connection)
    /// Open `$VISUAL`/`$EDITOR` on `text` in a private temp file (`suffix` names its kind, e.g.
    /// ".uri"), then report `.externalEditFinished`.
    case editExternally(text: String, suffix: String)
    /// Load each deployment and its writers for `C`'s picker; report `.copyTargetLoaded` for each.
    case loadCopyTargets([Deployment], request: Int)
    /// Apply a copy plan (each write through the target's guarded writer, logged), report
    /// `.copyProgress` as keys finish, read `deployment` again, verify with `planner`, and report `.copyApplied`.
    case applyCopy(CopyPlan, planner: CopyPlanner, deployment: Deployment, request: Int)
    case quit
}
