import Engine

extension AppReducer {
    static func handleKey(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        switch state.mode {
        case .normal: return handleNormal(&state, key)
        case .filter: return handleFilter(&state, key)
        case .command: return handleCommandLine(&state, key)
        case .help: return handleHelp(&state, key)
        case .copyMenu: return handleCopyMenu(&state, key)
        case .compare: return handleCompare(&state, key)
        case .editor: return handleEditor(&state, key)
        case .staged: return handleStaged(&state, key)
        case .deleteConfirm: return handleDelete(&state, key)
        case .confirmQuit: return handleConfirmQuit(&state, key)
        case .operations: return handleOperations(&state, key)
        case .copyTargets: return handleCopyTargets(&state, key)
        case .copyPlan: return handleCopyPlan(&state, key)
        }
    }

    // MARK: - Normal mode

    private static func handleNormal(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let command = state.keyMap.command(for: key) else { return [] }
        if Command.editing.contains(command), let reason = editingRefusal(state) {
            show(&state, reason, .error)
            return []
        }
        return perform(&state, command)
    }

    /// Runs a key-map command in normal mode.
    static func perform(_ state: inout AppState, _ command: Command) -> [AppEffect] {
        let layout = Layout(state.size)
        switch command {
        case .moveDown: move(&state, by: 1)
        case .moveUp: move(&state, by: -1)
        case .top: move(&state, by: Int.min / 2)
        case .bottom: move(&state, by: Int.max / 2)
        case .pageDown: move(&state, by: pageSize(state, layout))
        case .pageUp: move(&state, by: -pageSize(state, layout))
        case .nextPane: state.focus = Pane(rawValue: state.focus.rawValue % 4 + 1)!
        case .previousPane: state.focus = Pane(rawValue: (state.focus.rawValue + 2) % 4 + 1)!
        case .focusDeployments: state.focus = .deployments
        case .focusBackend: state.focus = .backend
        case .focusList: state.focus = .list
        case .focusDetail: state.focus = .detail
        case .open:
            switch state.focus {
            case .deployments:
                if state.deploymentCursor != state.activeDeployment {
                    let effects = activate(&state, index: state.deploymentCursor)
                    state.focus = .list
                    return effects
                }
                state.focus = .list
            case .list: if state.selectedEntry != nil { state.focus = .detail }
            case .backend, .detail: break
            }
        case .back:
            switch state.focus {
            case .detail: state.focus = .list
            case .list:
                if !state.filter.isEmpty {
                    state.filter = ""
                    refilter(&state)
                }
            case .deployments, .backend: state.focus = .list
            }
        case .filter:
            state.overlay = .filter
            if state.focus != .detail { state.focus = .list }
        case .reveal:
            guard let entry = state.selectedEntry else {
                show(&state, "nothing selected to reveal", .info)
                return []
            }
            if state.isRevealed(entry.key) {
                state.revealed = nil
            } else {
                state.revealed = Reveal(entry.key, state.now + state.revealSeconds)
            }
        case .copy:
            guard let entry = state.selectedEntry else {
                show(&state, "nothing selected to copy", .info)
                return []
            }
            guard entry.resolution.value != nil else {
                show(&state, "\(entry.displayID) has no value in any tier: nothing to copy", .warning)
                return []
            }
            if let hidden = entry.resolution.winning?.record?.hiddenFields, !hidden.isEmpty {
                show(&state, "\(entry.displayID): \(hidden.names.map(InertText.make).joined(separator: ", ")) is hidden by "
                     + "\(entry.resolution.winning?.label ?? "its source"); Strata never copies a hidden field", .warning)
                return []
            }
            state.overlay = .copyMenu
        case .testConnection:
            return testSelectedConnection(&state)
        case .refresh:
            let name = state.activeDeploymentValue?.name ?? ""
            // Keep the cursor on the same entry across the reload, as k9s does.
            state.pendingSelection = state.selectedEntry?.key
            let effects = activate(&state, index: state.activeDeployment)
            show(&state, "reloading every tier of \(InertText.make(name))", .info)
            return effects
        case .commandLine:
            state.overlay = .command
            state.commandText = ""
        case .help:
            state.overlay = .help
            state.helpScroll = 0
        case .quit:
            return requestQuit(&state)
        case .edit, .editExternal:
            guard !refuseEditing(&state) else { return [] }
            guard let entry = state.selectedEntry else {
                show(&state, "nothing selected to edit; n makes a new entry", .info)
                return []
            }
            let effects = openEditor(&state, key: entry.key, isNew: false)
            if command == .editExternal, state.mode == .editor { return effects + openExternalEditor(&state) }
            return effects
        case .newEntry:
            guard !refuseEditing(&state) else { return [] }
            state.overlay = .command
            state.commandText = "new "
        case .delete:
            return openDelete(&state)
        case .staged:
            return openStaged(&state)
        case .operationsLog:
            state.overlay = .operations
            state.operationsScroll = 0
        case .compare:
            return openComparison(&state)
        case .mark:
            toggleMark(&state)
        case .markFiltered:
            markFiltered(&state)
        case .clearMarks:
            clearMarks(&state)
        case .copyTo:
            return openCopyTargets(&state)
        }
        return []
    }

    private static func pageSize(_ state: AppState, _ layout: Layout?) -> Int {
        guard let layout else { return 1 }
        switch state.focus {
        case .detail: return max(1, layout.detailRows - 1)
        case .list: return max(1, layout.listRows - 1)
        default: return 5
        }
    }

    private static func move(_ state: inout AppState, by delta: Int) {
        switch state.focus {
        case .deployments:
            state.deploymentCursor = clampedAdd(state.deploymentCursor, delta, upper: state.deployments.count - 1)
        case .backend:
            state.backendScroll = clampedAdd(state.backendScroll, delta, upper: Int.max / 4)
        case .list:
            state.pendingSelection = nil
            let before = state.selected
            state.selected = clampedAdd(state.selected, delta, upper: state.visible.count - 1)
            if state.selected != before {
                state.detailScroll = 0
                state.revealed = nil    // a revealed value never follows the cursor
            }
        case .detail:
            state.detailScroll = clampedAdd(state.detailScroll, delta, upper: Int.max / 4)
        }
        clampScrolls(&state)
    }

    private static func clampedAdd(_ value: Int, _ delta: Int, upper: Int) -> Int {
        max(0, min(upper, value.addingReportingOverflow(delta).overflow ? (delta > 0 ? upper : 0) : value + delta))
    }

    // MARK: - Filter entry

    private static func handleFilter(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard let command = FilterKeys.map.command(for: key) else {
            if case .char(let c) = key {
                state.filter.append(c)
                refilter(&state)
            }
            return []
        }
        switch command {
        case .deleteBackward:
            if !state.filter.isEmpty {
                state.filter.removeLast()
                refilter(&state)
            }
        case .clear:
            state.filter = ""
            refilter(&state)
        case .accept:
            state.overlay = .none
            if !state.filter.isEmpty, state.visible.isEmpty {
                show(&state, "no entry matches '\(InertText.make(state.filter))'; Esc clears the filter", .warning)
            }
            let unknown = FilterQuery(state.filter).unknownTokens
            if !unknown.isEmpty {
                show(&state, "unknown filter token \(unknown.map(InertText.make).joined(separator: " ")); see ? for tokens", .warning)
            }
        case .cancel:
            state.filter = ""
            state.overlay = .none
            refilter(&state)
        case .moveDown: state.focus = .list; move(&state, by: 1)
        case .moveUp: state.focus = .list; move(&state, by: -1)
        case .pageDown: state.focus = .list; move(&state, by: pageSize(state, Layout(state.size)))
        case .pageUp: state.focus = .list; move(&state, by: -pageSize(state, Layout(state.size)))
        case .quit:
            return requestQuit(&state)
        }
        return []
    }

    // MARK: - Help overlay

    private static func handleHelp(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        let total = HelpContent.lines(state).count
        let visibleRows = max(1, state.size.rows - 4)
        let maxScroll = max(0, total - visibleRows)
        switch HelpKeys.map.command(for: key) {
        case .quit?:
            state.isQuitting = true
            return [.quit]
        case .close?: state.overlay = .none
        case let command?: command.scroll(&state.helpScroll, page: visibleRows - 1, maximum: maxScroll)
        case nil: break
        }
        return []
    }
}
