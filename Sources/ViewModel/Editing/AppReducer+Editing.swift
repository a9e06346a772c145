import Editing
import Engine
import PythonCompat

extension AppReducer {
    /// Why nothing may be written in the current deployment, or nil. The same words the
    /// planner uses, so the refusal reads the same wherever it is met.
    public static func editingRefusal(_ state: AppState) -> String? {
        if state.readOnly {
            return "Strata was started with --read-only; nothing is written. Start it without --read-only to edit."
        }
        if let deployment = state.activeDeploymentValue, deployment.readOnly {
            return "deployment '\(InertText.make(deployment.name))' is read-only (read_only: true in strata.yaml); "
                + "nothing is written. Remove read_only from its entry to edit it."
        }
        return nil
    }

    /// Shows the refusal and returns true when editing is not allowed here.
    static func refuseEditing(_ state: inout AppState) -> Bool {
        guard let reason = editingRefusal(state) else { return false }
        show(&state, reason, .error)
        return true
    }

    /// One slot per tier of the deployment's chain, in lookup order: its writer, or why not.
    public static func writerSlots(_ state: AppState) -> [TierWriterSlot] {
        guard let deploymentState = state.deploymentState else { return [] }
        return deploymentState.chain.map { tier in
            if let slot = state.writers.first(where: { $0.tier == tier }) { return slot }
            let descriptor = deploymentState.descriptors[tier] ?? TierDescriptor(tier: tier, label: tier.rawValue)
            return TierWriterSlot(unavailable: descriptor,
                                  reason: state.writers.isEmpty ? "its writer is not ready yet" : "Strata cannot write it")
        }
    }

    static func writer(_ state: AppState, _ tier: TierID?) -> (any TierWriter)? {
        guard let tier else { return nil }
        return state.writers.first { $0.tier == tier }?.writer
    }

    // MARK: - Opening the editor

    /// Opens the editor on `key` (an existing entry, or a new one).
    static func openEditor(_ state: inout AppState, key: SecretKey, isNew: Bool) -> [AppEffect] {
        guard !refuseEditing(&state) else { return [] }
        guard let deploymentState = state.deploymentState else {
            show(&state, "the deployment is still loading; try again in a moment", .info)
            return []
        }
        guard !key.id.isEmpty else {
            show(&state, "usage: :new conn ID or :new var KEY", .warning)
            return []
        }
        let resolution = deploymentState.resolve(key)
        let writable = writerSlots(state).filter { $0.writer != nil }.map(\.tier)
        let target = resolution.winner.flatMap { writable.contains($0) ? $0 : nil } ?? writable.first
        var editor = EditorState(key: key, isNew: isNew && resolution.value == nil,
                                 value: .variable(VariableDraft(text: "", description: nil, isSensitive: false)),
                                 target: target, startedFrom: "new", version: deploymentState.deployment.airflowVersion,
                                 context: deploymentState.context,
                                 hasWorkersBackend: deploymentState.chain.contains(.workersBackend))
        loadStartingValue(&editor, resolution: resolution)
        editor.form = writer(state, target)?.connectionForms.first ?? .uri
        editor.focus = editor.rows.firstIndex(of: key.kind == .connection ? .uri : .value) ?? 0
        state.editor = editor
        if target == nil {
            show(&state, "no tier of this deployment can be written here; t lists them with the reasons", .warning)
        } else if isNew && resolution.value != nil {
            show(&state, "\(InertText.make(key.description)) already exists; editing it", .info)
        }
        return []
    }

    /// The form starts from what the target tier holds, else from the value Airflow resolves.
    static func loadStartingValue(_ editor: inout EditorState, resolution: Resolution) {
        let own = resolution.tiers.first { $0.tier == editor.target }
        var value: TierValue?
        switch own?.state {
        case .present(let held)?:
            value = held
            editor.startedFrom = own?.label ?? editor.target?.rawValue ?? ""
        case .empty?:
            value = .variable("")
            editor.startedFrom = own?.label ?? ""
        default:
            value = resolution.value
            editor.startedFrom = resolution.winning.map { "the value Airflow reads (\($0.tier.shortName))" } ?? "new"
        }
        switch editor.key.kind {
        case .connection:
            var connection = Connection()
            if case .connection(let held)? = value { connection = held }
            editor.value = .connection(ConnectionDraft(connection, dialect: editor.dialect))
        case .variable:
            var text = ""
            if case .variable(let held)? = value { text = held }
            editor.value = .variable(VariableDraft(text: text, description: own?.record?.metadata["description"],
                                                   isSensitive: true))
        }
    }

    // MARK: - Keys

    static func handleEditor(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard var editor = state.editor else {
            state.overlay = .none
            return []
        }
        if key == .ctrl("c") { return requestQuit(&state) }
        if editor.picker != nil {
            handlePicker(&state, &editor, key)
            state.editor = editor
            return []
        }
        if editor.typing != nil {
            if key == .ctrl("s") {
                guard commitTyping(&editor) else {
                    state.editor = editor
                    return []
                }
                state.editor = editor
                return stageEditor(&state)
            }
            handleTyping(&editor, key)
            state.editor = editor
            return []
        }
        guard let command = EditorKeys.map.command(for: key) else { return [] }
        switch command {
        case .quit: return requestQuit(&state)
        case .down: editor.focus = min(editor.rows.count - 1, editor.focus + 1)
        case .up: editor.focus = max(0, editor.focus - 1)
        case .top: editor.focus = 0
        case .bottom: editor.focus = editor.rows.count - 1
        case .type:
            if editor.focusedRow == .target { openPicker(&state, &editor) } else { beginTyping(&editor, editor.focusedRow) }
        case .pickTier: openPicker(&state, &editor)
        case .cycleForm: cycleForm(&state, &editor)
        case .reveal: editor.revealed.toggle()
        case .externalEditor:
            state.editor = editor
            return openExternalEditor(&state)
        case .stage:
            state.editor = editor
            return stageEditor(&state)
        case .close:
            state.editor = nil
            state.overlay = .none
            if editor.dirty { show(&state, "edit of \(InertText.make(editor.key.description)) discarded; nothing staged", .info) }
            return []
        }
        state.editor = editor
        return []
    }

    /// The text a row starts with when typing begins, and whether it started empty because masked.
    static func typingStart(_ editor: EditorState, _ row: EditorState.Row) -> (String, Bool) {
        switch (row, editor.value) {
        case (.uri, .connection(let draft)):
            return ((try? draft.uri(revealed: editor.revealed).get()) ?? "", false)
        case (.json, .connection(let draft)):
            return ((try? draft.json(revealed: editor.revealed).get()) ?? "", false)
        case (.field(let field), .connection(let draft)):
            if field.isSecret, !editor.revealed, let password = draft.connection.password, !password.isEmpty { return ("", true) }
            return (draft.text(of: field, revealed: editor.revealed) ?? "", false)
        case (.value, .variable(let draft)):
            if draft.isSensitive, !editor.revealed, !draft.text.isEmpty { return ("", true) }
            return (draft.text, false)
        case (.description, .variable(let draft)):
            return (draft.description ?? "", false)
        default:
            return ("", false)
        }
    }

    static func beginTyping(_ editor: inout EditorState, _ row: EditorState.Row, replacingWith text: String? = nil) {
        guard row != .target else { return }
        let (start, masked) = typingStart(editor, row)
        editor.typing = TextField(text == nil ? start : "", multiline: row == .value)
        editor.typingBase = editor.value
        editor.typingStartedMasked = text == nil && masked
        editor.error = nil
        if let text {
            editor.typing?.insert(row == .value ? text : text.trimmingSpaces)
            applyTyping(&editor)
        }
    }

    static func handleTyping(_ editor: inout EditorState, _ key: Key) {
        switch key {
        case .escape:
            if let base = editor.typingBase { editor.value = base }
            editor.typing = nil
            editor.error = nil
        case .enter where editor.typing?.multiline != true:
            _ = commitTyping(&editor)
        case .tab:
            if commitTyping(&editor) { editor.focus = min(editor.rows.count - 1, editor.focus + 1) }
        case .backTab:
            if commitTyping(&editor) { editor.focus = max(0, editor.focus - 1) }
        default:
            if editor.typing?.handle(key) == true { applyTyping(&editor) }
        }
    }

    /// Ends typing when what was typed is acceptable; otherwise keeps it open with Airflow's message.
    @discardableResult
    static func commitTyping(_ editor: inout EditorState) -> Bool {
        guard editor.typing != nil else { return true }
        applyTyping(&editor)
        if editor.error != nil { return false }
        if let base = editor.typingBase, base != editor.value { editor.dirty = true }
        editor.typing = nil
        editor.typingBase = nil
        return true
    }

    /// Airflow's error about the draft as the editor may show it: until revealed (x), redacted
    /// against the stored password and extra (a masked URI is parsed with them) and a password
    /// being typed, since Python's messages quote pieces of what they refuse.
    static func shownError(_ error: AirflowError, editor: EditorState, connection: Connection,
                           typedSecret: String? = nil) -> String {
        if editor.revealed { return error.description }
        let secrets = [connection.password, connection.extra, typedSecret].compactMap { $0 }.filter { !$0.isEmpty }
        return SecretRedaction.error(className: error.className, message: error.message,
                                     material: secrets.flatMap { SecretRedaction.secretMaterial(of: $0) }).redacted
    }

    /// Re-reads the typed text into the value, live: the URI fills the fields, a field
    /// regenerates the URI and JSON.
    static func applyTyping(_ editor: inout EditorState) {
        guard let typing = editor.typing, let base = editor.typingBase else { return }
        let text = typing.text
        editor.error = nil
        switch (editor.focusedRow, base) {
        case (.uri, .connection(var draft)), (.json, .connection(var draft)):
            let parsed = editor.focusedRow == .uri ? draft.parsing(uri: text) : draft.parsing(json: text)
            switch parsed {
            case .success(let connection):
                draft.connection = connection
                editor.value = .connection(draft)
            case .failure(let error):
                editor.value = base
                editor.error = shownError(error, editor: editor, connection: draft.connection)
            }
        case (.field(let field), .connection(var draft)):
            if field.isSecret, editor.typingStartedMasked, text.isEmpty {
                editor.value = base
            } else if let error = draft.set(field, to: text) {
                editor.value = base
                editor.error = shownError(error, editor: editor, connection: draft.connection,
                                          typedSecret: field.isSecret ? text : nil)
            } else {
                editor.value = .connection(draft)
            }
        case (.value, .variable(var draft)):
            if !(editor.typingStartedMasked && text.isEmpty) { draft.text = text }
            editor.value = .variable(draft)
        case (.description, .variable(var draft)):
            draft.description = text.isEmpty ? nil : text
            editor.value = .variable(draft)
        default:
            break
        }
    }

    /// Text pasted in one piece: into the field being typed, or it replaces the focused row.
    static func pasteIntoEditor(_ state: inout AppState, _ text: String) {
        guard var editor = state.editor, editor.picker == nil else { return }
        if var typing = editor.typing {
            typing.insert(typing.multiline ? text : text.trimmingSpaces)
            editor.typing = typing
            applyTyping(&editor)
        } else if editor.focusedRow != .target {
            beginTyping(&editor, editor.focusedRow, replacingWith: text)
        }
        state.editor = editor
    }

    // MARK: - Target tier and form

    static func openPicker(_ state: inout AppState, _ editor: inout EditorState) {
        let slots = writerSlots(state)
        guard !slots.isEmpty else {
            show(&state, "the deployment's tiers are not known yet", .info)
            return
        }
        editor.picker = slots.firstIndex { $0.tier == editor.target } ?? 0
    }

    static func handlePicker(_ state: inout AppState, _ editor: inout EditorState, _ key: Key) {
        let slots = writerSlots(state)
        guard var cursor = editor.picker, !slots.isEmpty else {
            editor.picker = nil
            return
        }
        switch key {
        case .char("j"), .down, .tab: cursor = min(slots.count - 1, cursor + 1)
        case .char("k"), .up, .backTab: cursor = max(0, cursor - 1)
        case .char("g"), .home: cursor = 0
        case .char("G"), .end: cursor = slots.count - 1
        case .escape, .char("q"): editor.picker = nil; return
        case .enter, .char(" "):
            let slot = slots[cursor]
            guard slot.writer != nil else {
                show(&state, "\(InertText.make(slot.descriptor.label)) cannot be written: \(InertText.make(slot.unavailableReason ?? "no writer"))", .warning)
                return
            }
            selectTarget(&state, &editor, slot.tier)
            editor.picker = nil
            return
        default: break
        }
        editor.picker = cursor
    }

    static func selectTarget(_ state: inout AppState, _ editor: inout EditorState, _ tier: TierID) {
        editor.target = tier
        editor.form = writer(state, tier)?.connectionForms.first ?? .uri
        if !editor.dirty, let deploymentState = state.deploymentState {
            loadStartingValue(&editor, resolution: deploymentState.resolve(editor.key))
        } else if case .connection(var draft) = editor.value {
            draft.dialect = editor.dialect
            editor.value = .connection(draft)
        }
    }

    static func cycleForm(_ state: inout AppState, _ editor: inout EditorState) {
        guard editor.key.kind == .connection, let forms = writer(state, editor.target)?.connectionForms, !forms.isEmpty else { return }
        let index = forms.firstIndex(of: editor.form) ?? -1
        editor.form = forms[(index + 1) % forms.count]
        if forms.count == 1 {
            show(&state, "this tier stores connections only as \(editor.form.rawValue)", .info)
        }
    }

    // MARK: - $EDITOR

    /// `E`: the URI (connections) or the value (variables) in `$VISUAL`/`$EDITOR`. Secrets
    /// stay masked in the file unless revealed; the masks come back as the stored values.
    static func openExternalEditor(_ state: inout AppState) -> [AppEffect] {
        guard let editor = state.editor else { return [] }
        switch editor.value {
        case .connection(let draft):
            let text = (try? draft.uri(revealed: editor.revealed).get()) ?? (try? draft.json(revealed: editor.revealed).get()) ?? ""
            return [.editExternally(text: text + "\n", suffix: ".uri")]
        case .variable(let draft):
            if draft.isSensitive && !editor.revealed && !draft.text.isEmpty {
                show(&state, "reveal the value (x) before opening it in $EDITOR", .warning)
                return []
            }
            return [.editExternally(text: draft.text, suffix: draft.jsonCheck != nil ? ".json" : ".txt")]
        }
    }

    static func externalEditFinished(_ state: inout AppState, text: String?, problem: String?) {
        if let problem {
            show(&state, problem, .error)
            return
        }
        guard var editor = state.editor, let text else { return }
        let row: EditorState.Row
        switch editor.value {
        case .connection:
            row = text.trimmingSpaces.hasPrefix("{") ? .json : .uri
        case .variable:
            row = .value
        }
        editor.focus = editor.rows.firstIndex(of: row) ?? editor.focus
        // An editor adds a final newline; a variable keeps the lines in between.
        var content = text
        if row == .value, content.hasSuffix("\n") { content.removeLast() }
        beginTyping(&editor, row, replacingWith: content)
        if commitTyping(&editor) {
            show(&state, "read back from the editor", .info)
        }
        state.editor = editor
    }

    // MARK: - Staging

    /// Stages the editor's value for its target tier and shows the staged changes.
    static func stageEditor(_ state: inout AppState) -> [AppEffect] {
        guard var editor = state.editor else { return [] }
        guard !refuseEditing(&state) else { return [] }
        guard commitTyping(&editor) else {
            state.editor = editor
            show(&state, "fix the field first: \(editor.error ?? "")", .error)
            return []
        }
        state.editor = editor
        if let problem = editor.blockingProblem {
            show(&state, "not staged: Airflow would reject it: \(problem)", .error)
            return []
        }
        guard let target = editor.target, let writer = writer(state, target), let deploymentState = state.deploymentState else {
            show(&state, "pick a tier that can be written (t) first", .warning)
            return []
        }
        let change = TierChange.set(editor.key, editor.editValue(keepsDescriptions: writer.keepsVariableDescriptions), form: editor.form)
        let planned = EditPlanner(state: deploymentState, writers: state.writers, globalReadOnly: state.readOnly).plan(change, into: target)
        if planned.isNoOp {
            show(&state, "\(InertText.make(editor.key.description)) is unchanged in \(InertText.make(planned.targetLabel)); nothing staged", .info)
            return []
        }
        stage(&state, StagedEdit(change: change, tier: target))
        state.editor = nil
        return []
    }

    /// Adds (or replaces) a staged change for its key and tier, and shows the staged view.
    static func stage(_ state: inout AppState, _ edit: StagedEdit) {
        state.staged.removeAll { $0.change.key == edit.change.key && $0.tier == edit.tier }
        state.staged.append(edit)
        state.saveResults = []
        replan(&state)
        state.stagedCursor = state.staged.count - 1
        state.overlay = .staged
        show(&state, "staged \(InertText.make(edit.change.key.description)); s saves, u undoes", .info)
    }

    /// Checks the staged changes against the deployment as loaded now.
    static func replan(_ state: inout AppState) {
        guard let deploymentState = state.deploymentState, !state.staged.isEmpty else {
            state.stagedPlan = state.staged.isEmpty ? EditPlan(deploymentName: "", changes: []) : nil
            return
        }
        state.stagedPlan = EditPlanner(state: deploymentState, writers: state.writers, globalReadOnly: state.readOnly)
            .plan(state.staged.map { ($0.change, $0.tier) })
        state.stagedCursor = max(0, min(state.stagedCursor, state.staged.count - 1))
    }

    // MARK: - Quitting

    /// Quits, or asks first when staged changes would be lost.
    static func requestQuit(_ state: inout AppState) -> [AppEffect] {
        if !state.staged.isEmpty && state.mode != .confirmQuit {
            state.overlay = .confirmQuit
            return []
        }
        state.isQuitting = true
        return [.quit]
    }

    static func handleConfirmQuit(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        switch key {
        case .char("y"), .char("Y"), .ctrl("c"):
            state.isQuitting = true
            return [.quit]
        case .char("n"), .char("N"), .escape:
            state.overlay = .none
        case .char("S"):
            state.overlay = .staged
        default:
            break
        }
        return []
    }
}
