import Engine
import PythonCompat

/// The app's logic: applies an action to the state and returns the work to do. Pure: no I/O,
/// no clock, no terminal; the run loop performs the effects and feeds results back as actions.
public enum AppReducer {
    /// The effects to start the app: load the initial deployment.
    public static func start(_ state: inout AppState) -> [AppEffect] {
        guard !state.deployments.isEmpty else {
            state.message = StatusMessage(text: "the workspace has no deployments", level: .error, until: .infinity)
            return []
        }
        return activate(&state, index: state.activeDeployment)
    }

    public static func reduce(_ state: inout AppState, _ action: AppAction) -> [AppEffect] {
        switch action {
        case .keyPressed(let key):
            return handleKey(&state, key)
        case .resized(let size):
            state.size = size
            clampScrolls(&state)
            return []
        case .tick(let now):
            state.now = now
            if let revealed = state.revealed, revealed.until <= now { state.revealed = nil }
            if let message = state.message, message.until <= now { state.message = nil }
            return []
        case .deploymentStarted(let generation, let deploymentState, let backend):
            guard generation == state.generation else { return [] }
            state.deploymentState = deploymentState
            state.backend = backend
            return requestResolve(&state)
        case .tierLoaded(let generation, let tier, let tierState):
            guard generation == state.generation, state.deploymentState != nil else { return [] }
            state.deploymentState?.tiers[tier] = tierState
            if case .failed(let reason) = tierState {
                show(&state, "\(tier.shortName) tier failed: \(InertText.make(reason))", .error)
            }
            return requestResolve(&state)
        case .resolved(let generation, let sequence, let entries):
            guard generation == state.generation, sequence > state.resolveApplied else { return [] }
            state.resolveApplied = sequence
            setEntries(&state, entries)
            refreshTierComparison(&state)
            if !state.staged.isEmpty { replan(&state) }
            return []
        case .themeApplied(let name, let problem):
            if let problem {
                show(&state, problem, .error)
            } else {
                state.themeName = name
                show(&state, "theme \(InertText.make(name))", .info)
            }
            return []
        case .comparisonLoaded(let request, let results):
            comparisonLoaded(&state, request: request, results: results)
            return []
        case .writersReady(let generation, let slots):
            guard generation == state.generation else { return [] }
            state.writers = slots
            replan(&state)
            return []
        case .editsApplied(let outcomes, let deployments):
            return editsApplied(&state, outcomes: outcomes, deployments: deployments)
        case .externalEditFinished(let text, let problem):
            externalEditFinished(&state, text: text, problem: problem)
            return []
        case .pasted(let text):
            switch state.mode {
            case .editor: pasteIntoEditor(&state, text)
            case .deleteConfirm: pasteIntoDelete(&state, text)
            case .filter:
                state.filter += text.trimmingSpaces
                refilter(&state)
            case .command: state.commandText += text.trimmingSpaces
            default: break
            }
            return []
        case .operationsUpdated(let entries):
            state.operations = entries
            return []
        case .connectionTested(let id, let outcome):
            showTestOutcome(&state, id: id, outcome: outcome)
            return []
        case .copyTargetLoaded(let request, let target):
            copyTargetLoaded(&state, request: request, target: target)
            return []
        case .copyProgress(let request, let done, let total):
            guard state.copySession?.request == request, state.copySession?.isApplying == true else { return [] }
            state.copySession?.progress = (done, total)
            return []
        case .copyApplied(let request, let outcomes, let reloaded, let deployments):
            return copyApplied(&state, request: request, outcomes: outcomes, reloaded: reloaded, deployments: deployments)
        case .interrupted:
            state.isQuitting = true
            return [.quit]
        }
    }

    // MARK: - Entries and filtering

    /// Replaces the list, keeping the cursor on the same key when it is still there.
    static func setEntries(_ state: inout AppState, _ entries: [Entry]) {
        let selectedKey = state.pendingSelection ?? state.selectedEntry?.key
        state.entries = entries
        refilter(&state, keeping: selectedKey)
        if let pending = state.pendingSelection, state.selectedEntry?.key == pending { state.pendingSelection = nil }
    }

    /// Applies the filter text to the entries.
    static func refilter(_ state: inout AppState, keeping key: SecretKey? = nil) {
        let query = FilterQuery(state.filter)
        let previousEntryIndex = state.visible.indices.contains(state.selected) ? state.visible[state.selected] : nil
        if query.isEmpty {
            state.visible = Array(state.entries.indices)
        } else {
            state.visible = state.searchIndex.matches(query)
        }
        var newSelected = 0
        if let key {
            // After a reload entries move; find the key (ids are sorted, so this is a short scan).
            newSelected = state.visible.firstIndex { state.entries[$0].key == key } ?? 0
        } else if let previousEntryIndex, let found = binarySearch(state.visible, previousEntryIndex) {
            newSelected = found
        }
        if newSelected != state.selected { state.detailScroll = 0 }
        state.selected = newSelected
        clampScrolls(&state)
    }

    private static func binarySearch(_ sorted: [Int], _ value: Int) -> Int? {
        var low = 0, high = sorted.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if sorted[mid] == value { return mid }
            if sorted[mid] < value { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    static func requestResolve(_ state: inout AppState) -> [AppEffect] {
        guard let deploymentState = state.deploymentState else { return [] }
        state.resolveRequested += 1
        return [.resolve(deploymentState, generation: state.generation, sequence: state.resolveRequested)]
    }

    /// Starts loading deployment `index`, dropping what an earlier load showed.
    static func activate(_ state: inout AppState, index: Int) -> [AppEffect] {
        guard state.deployments.indices.contains(index) else { return [] }
        if !state.staged.isEmpty, index != state.activeDeployment {
            show(&state, "\(state.staged.count) staged change\(state.staged.count == 1 ? "" : "s") for \(InertText.make(state.activeDeploymentValue?.name ?? "")): "
                 + "save (S, then s) or undo them before switching", .warning)
            state.deploymentCursor = state.activeDeployment
            return []
        }
        if index != state.activeDeployment { state.markedEntries = [] }    // marks name keys of the deployment left
        state.activeDeployment = index
        state.writers = []
        state.deploymentCursor = index
        state.generation += 1
        state.deploymentState = nil
        state.backend = nil
        state.entries = []
        state.visible = []
        state.selected = 0
        state.listScroll = 0
        state.detailScroll = 0
        state.backendScroll = 0
        state.revealed = nil
        return [.loadDeployment(state.deployments[index], generation: state.generation)]
    }

    static func show(_ state: inout AppState, _ text: String, _ level: StatusMessage.Level) {
        let seconds = level == .error ? state.messageSeconds * 2 : state.messageSeconds
        state.message = StatusMessage(text: text, level: level, until: state.now + seconds)
    }

    // MARK: - Scrolling

    static func clampScrolls(_ state: inout AppState) {
        let layout = Layout(state.size)
        let rows = layout?.listRows ?? 1
        state.selected = max(0, min(state.selected, state.visible.count - 1))
        if state.selected < state.listScroll { state.listScroll = state.selected }
        if state.selected >= state.listScroll + rows { state.listScroll = state.selected - rows + 1 }
        state.listScroll = max(0, min(state.listScroll, max(0, state.visible.count - rows)))
        if let layout {
            let detailLines = PaneLines.detail(state, in: layout.detail).count
            state.detailScroll = max(0, min(state.detailScroll, PaneLines.maximumScroll(lineCount: detailLines, in: layout.detail)))
            let backendLines = PaneLines.backend(state, in: layout.backend).count
            state.backendScroll = max(0, min(state.backendScroll, PaneLines.maximumScroll(lineCount: backendLines, in: layout.backend)))
        }
        state.deploymentCursor = max(0, min(state.deploymentCursor, state.deployments.count - 1))
    }
}
