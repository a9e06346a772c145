import Editing
import Engine

/// Which text entry or overlay has the keyboard.
public enum InputMode: Sendable, Hashable {
    case normal
    case filter
    case command
    case help
    case copyMenu
    /// The comparison overlay (`c`, `:compare`).
    case compare
    /// The editor of one variable or connection (`e`, `n`, `:new`).
    case editor
    /// The staged changes, their masked diff, and saving them (`S`).
    case staged
    /// Deleting an entry: the id must be typed (`D`, `:delete`).
    case deleteConfirm
    /// Quitting with staged changes not saved.
    case confirmQuit
    /// The operations log (`@`).
    case operations
    /// Where to copy the marked entries (`C`).
    case copyTargets
    /// The copy plan, applying it and what it did.
    case copyPlan
}

/// A short message in the status line, with how long it stays.
public struct StatusMessage: Sendable, Hashable {
    public enum Level: Sendable, Hashable { case info, warning, error }
    public var text: String
    public var level: Level
    public var until: Double
}

/// A deployment as the Deployments pane lists it.
public struct DeploymentSummary: Sendable, Hashable {
    public var name: String
    public var airflowVersion: AirflowVersion
    public var readOnly: Bool
}

/// Everything the screen shows, as plain values. Changed only by `AppReducer.reduce`.
public struct AppState: Sendable, Equatable {
    public var size: Size
    public var deployments: [Deployment]
    /// The row under the cursor in the Deployments pane.
    public var deploymentCursor: Int
    /// The deployment whose tiers are shown.
    public var activeDeployment: Int
    /// Bumped each time a deployment (re)loads, so late results of an earlier load are ignored.
    public var generation = 0
    public var deploymentState: DeploymentState?
    public var backend: BackendPaneInfo?
    public var entries: [Entry] = [] {
        didSet { searchIndex = SearchIndex(entries) }
    }
    /// The entries' filter data, rebuilt whenever `entries` changes.
    public private(set) var searchIndex = SearchIndex()
    /// Indices into `entries` that pass the filter, in display order.
    public var visible: [Int] = []
    /// Index into `visible`.
    public var selected = 0
    public var listScroll = 0
    public var detailScroll = 0
    public var backendScroll = 0
    public var helpScroll = 0
    /// Bumped by each `:compare`, so results of an earlier one are ignored.
    public var compareRequest = 0
    /// Deployments marked with Space in the Deployments pane, for `c` to compare.
    public var markedDeployments: Set<Int> = []
    /// Entries marked with Space (or `*`) in the list, for `C` to copy.
    public var markedEntries: Set<SecretKey> = []
    public var focus: Pane = .list
    /// What has the keyboard, with the state only it has.
    public var overlay: Overlay = .none
    public var filter = ""
    public var commandText = ""
    /// The key whose values are shown unmasked, and until when.
    public var revealed: Reveal?
    public var message: StatusMessage?
    /// Seconds on a monotonic clock, advanced by `.tick`.
    public var now: Double = 0
    public var themeName: String
    public var resolveRequested = 0
    public var resolveApplied = 0
    public var formats: ConnectionFormats
    public var keyMap: KeyMap = .standard
    /// How long a revealed value stays visible.
    public var revealSeconds: Double = 10
    public var messageSeconds: Double = 4
    /// Set by `:q` / `q`; the run loop exits after drawing no further frame.
    public var isQuitting = false

    // MARK: Editing

    /// Strata runs with `--read-only`: every write is refused and edit actions are hidden.
    public var readOnly = false
    /// The writers of the active deployment's tiers (empty until they are known).
    public var writers: [TierWriterSlot] = []
    /// Changes saved in the editor but not yet written, in order.
    public var staged: [StagedEdit] = []
    /// `staged` checked against the deployment as loaded; rebuilt whenever either changes.
    public var stagedPlan: EditPlan?
    public var stagedCursor = 0
    public var stagedScroll = 0
    /// What the last save did, change by change.
    public var saveResults: [SaveResult] = []
    /// A save is under way.
    public var isSaving = false
    /// The key the cursor goes back to once a reload lists it again.
    public var pendingSelection: SecretKey?
    /// The session's operations log, oldest first.
    public var operations: [OperationLog.Entry] = []
    public var operationsScroll = 0
    /// The copy planned from `C`'s picker: shown by `.copyPlan`, kept while it is applied.
    public var copySession: CopySession?
    /// Bumped by each `C` and each apply, so late answers of an earlier one are ignored.
    public var copyRequest = 0
    /// Seconds east of UTC for the times the operations log shows (the terminal sets it).
    public var utcOffsetSeconds = 0

    public init(deployments: [Deployment], initialDeployment: String? = nil, size: Size,
                themeName: String = "default", formats: ConnectionFormats = .unavailable, readOnly: Bool = false) {
        self.readOnly = readOnly
        self.deployments = deployments
        let index = initialDeployment.flatMap { name in deployments.firstIndex { $0.name == name } } ?? 0
        self.deploymentCursor = index
        self.activeDeployment = index
        self.size = size
        self.themeName = themeName
        self.formats = formats
    }

    /// The entry under the cursor, if the list is not empty.
    public var selectedEntry: Entry? {
        guard selected >= 0, selected < visible.count else { return nil }
        return entries[visible[selected]]
    }

    /// Whether `key`'s values are currently shown unmasked.
    public func isRevealed(_ key: SecretKey) -> Bool {
        guard let revealed else { return false }
        return revealed.key == key && revealed.until > now
    }

    /// The key map as help and hints show it: without writing commands where nothing may be written.
    public var visibleKeyMap: KeyMap {
        AppReducer.editingRefusal(self) == nil ? keyMap : keyMap.withoutEditing()
    }

    public var activeDeploymentValue: Deployment? {
        deployments.indices.contains(activeDeployment) ? deployments[activeDeployment] : nil
    }
}

/// A key shown unmasked, and until when.
public struct Reveal: Sendable, Equatable {
    public var key: SecretKey
    public var until: Double

    public init(_ key: SecretKey, _ until: Double) {
        self.key = key
        self.until = until
    }
}
