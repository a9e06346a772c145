import Editing
import Engine

extension AppReducer {
    /// `S`: the staged changes.
    static func openStaged(_ state: inout AppState) -> [AppEffect] {
        guard !refuseEditing(&state) else { return [] }
        replan(&state)
        state.overlay = .staged
        if state.staged.isEmpty && state.saveResults.isEmpty {
            show(&state, "nothing staged: e edits an entry, n makes a new one", .info)
        }
        return []
    }

    static func handleStaged(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let command = StagedKeys.map.command(for: key) else { return [] }
        switch command {
        case .quit: return requestQuit(&state)
        case .down: state.stagedCursor = min(max(0, state.staged.count - 1), state.stagedCursor + 1)
        case .up: state.stagedCursor = max(0, state.stagedCursor - 1)
        case .top: state.stagedCursor = 0
        case .bottom: state.stagedCursor = max(0, state.staged.count - 1)
        case .drop:
            guard state.staged.indices.contains(state.stagedCursor), !state.isSaving else { return [] }
            let dropped = state.staged.remove(at: state.stagedCursor)
            replan(&state)
            show(&state, "dropped the staged change of \(InertText.make(dropped.change.key.description)); nothing was written", .info)
        case .save:
            return saveStaged(&state)
        case .reopen:
            guard state.staged.indices.contains(state.stagedCursor), !state.isSaving else { return [] }
            let edit = state.staged[state.stagedCursor]
            guard case .set = edit.change.action else { return [] }
            // Reopens the editor on what was staged, for the same tier.
            let effects = openEditor(&state, key: edit.change.key, isNew: false)
            if var editor = state.editor, let value = edit.change.newValue {
                editor.target = edit.tier
                editor.form = { if case .set(_, let form) = edit.change.action { return form } else { return .uri } }()
                switch value {
                case .connection(let connection): editor.value = .connection(ConnectionDraft(connection, dialect: editor.dialect))
                case .variable(let text, let description):
                    editor.value = .variable(VariableDraft(text: text, description: description,
                                                           isSensitive: true))
                }
                editor.dirty = true
                state.editor = editor
            }
            return effects
        case .close:
            state.overlay = .none
        }
        return []
    }

    /// `s` in the staged view, `:w`: writes every staged change that may be written.
    static func saveStaged(_ state: inout AppState) -> [AppEffect] {
        guard !state.isSaving else {
            show(&state, "a save is already under way", .info)
            return []
        }
        guard !refuseEditing(&state) else { return [] }
        replan(&state)
        guard let plan = state.stagedPlan, !plan.writes.isEmpty else {
            show(&state, state.staged.isEmpty ? "nothing staged to save"
                 : "nothing to write: every staged change is refused or changes nothing (u drops one)", .warning)
            return []
        }
        state.isSaving = true
        state.saveResults = []
        show(&state, "saving \(plan.writes.count) change\(plan.writes.count == 1 ? "" : "s")…", .info)
        return [.applyEdits(plan, writers: state.writers)]
    }

    /// A save finished: results shown, written changes unstaged, the deployment reloaded.
    static func editsApplied(_ state: inout AppState, outcomes: [EditExecutor.Outcome], deployments: [Deployment]?) -> [AppEffect] {
        state.isSaving = false
        state.saveResults = outcomes.map(SaveResult.init)
        let done = outcomes.filter { $0.succeeded || ($0.error == nil && $0.planned.isNoOp) }
        state.staged.removeAll { edit in
            done.contains { $0.planned.change.key == edit.change.key && $0.planned.target == edit.tier }
        }
        let written = outcomes.filter(\.succeeded).count
        let failed = outcomes.filter { $0.error != nil }.count
        if let deployments, deployments.map(\.name) == state.deployments.map(\.name) {
            state.deployments = deployments
        }
        state.pendingSelection = state.selectedEntry?.key ?? outcomes.first?.planned.change.key
        let effects = written > 0 ? activate(&state, index: state.activeDeployment) : []
        replan(&state)
        state.stagedCursor = 0
        if failed > 0 {
            show(&state, "saved \(written) of \(outcomes.count); \(failed) not written — see the staged view (S)", .error)
        } else {
            show(&state, "saved \(written) change\(written == 1 ? "" : "s"); reloading to show the value Airflow reads now", .info)
        }
        return effects
    }
}

extension SaveResult {
    init(_ outcome: EditExecutor.Outcome) {
        let planned = outcome.planned
        key = planned.change.key
        tierLabel = planned.targetLabel
        succeeded = outcome.succeeded
        if let receipt = outcome.receipt {
            let verb = receipt.created ? "created" : planned.change.newValue == nil ? "deleted" : "updated"
            var text = "\(verb) \(InertText.make(receipt.name)) in \(InertText.make(receipt.location))"
            if let version = receipt.version { text += " (version \(InertText.make(version)))" }
            for note in receipt.notes { text += "; " + InertText.make(note) }
            message = text
        } else if let error = outcome.error {
            message = "\(error.kind.rawValue): \(InertText.make(error.message))"
                + (error.remedy.map { " " + $0.terminalHint } ?? "")
        } else {
            message = "unchanged; nothing written"
        }
    }
}
