import Engine

/// Draws the whole screen for a state. A pure function: the same state gives the same frame.
public enum AppView {
    public static func render(_ state: AppState) -> Frame {
        var frame = Frame(size: state.size)
        guard let layout = Layout(state.size) else {
            drawTooSmall(&frame, state.size)
            return frame
        }
        drawDeployments(&frame, state, layout.deployments)
        drawBackend(&frame, state, layout.backend)
        drawList(&frame, state, layout.list)
        drawDetail(&frame, state, layout.detail)
        drawStatus(&frame, state, layout.status)
        switch state.mode {
        case .help: drawHelp(&frame, state)
        case .copyMenu: drawCopyMenu(&frame, state, layout.detail)
        case .compare: drawCompare(&frame, state)
        case .editor: drawEditor(&frame, state)
        case .staged: drawStaged(&frame, state)
        case .deleteConfirm: drawDelete(&frame, state)
        case .confirmQuit: drawConfirmQuit(&frame, state)
        case .operations: drawOperations(&frame, state)
        case .copyTargets: drawCopyTargets(&frame, state)
        case .copyPlan: drawCopyPlan(&frame, state)
        default: break
        }
        return frame
    }

    // MARK: - Panes

    static func drawTooSmall(_ frame: inout Frame, _ size: Size) {
        let lines = ["terminal too small",
                     "need \(Layout.minimum.columns)x\(Layout.minimum.rows), have \(size.columns)x\(size.rows)",
                     "enlarge the window · q quits"]
        let top = max(0, (size.rows - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let cut = DisplayWidth.truncate(line, to: size.columns)
            let x = max(0, (size.columns - DisplayWidth.of(cut)) / 2)
            frame.put(cut, x: x, y: top + index, role: index == 0 ? .error : .muted)
        }
    }

    static func drawDeployments(_ frame: inout Frame, _ state: AppState, _ rect: Rect) {
        let focused = state.focus == .deployments && state.mode == .normal
        frame.box(rect, title: "1 Deployments", focused: focused)
        let inner = rect.inner
        let scroll = max(0, state.deploymentCursor - inner.height + 1)
        for row in 0..<inner.height {
            let index = scroll + row
            guard state.deployments.indices.contains(index) else { break }
            let deployment = state.deployments[index]
            let y = inner.y + row
            let active = index == state.activeDeployment
            let marked = state.markedDeployments.contains(index) ? "*" : " "
            var column = frame.put((active ? "▶" : " ") + marked, x: inner.x, y: y, role: .ok, limit: inner.maxX)
            column = frame.put(InertText.make(deployment.name), x: column, y: y, role: active ? .title : .text, limit: inner.maxX)
            if deployment.readOnly { column = frame.put(" [ro]", x: column, y: y, role: .warning, limit: inner.maxX) }
            frame.put(" af\(deployment.airflowVersion.rawValue)", x: column, y: y, role: .muted, limit: inner.maxX)
            if index == state.deploymentCursor && focused {
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection)
            }
        }
    }

    static func drawBackend(_ frame: inout Frame, _ state: AppState, _ rect: Rect) {
        let focused = state.focus == .backend && state.mode == .normal
        frame.box(rect, title: "2 " + BackendContent.title(state), focused: focused)
        let inner = rect.inner
        let lines = PaneLines.backend(state, in: rect)
        for row in 0..<inner.height {
            let index = state.backendScroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(" ", x: inner.x, y: inner.y + row, role: .text)
            frame.put(lines[index], x: inner.x + 1, y: inner.y + row, limit: inner.maxX)
        }
        if lines.count > inner.height + state.backendScroll {
            frame.put("↓ more", x: inner.maxX - 6, y: rect.maxY - 1, role: .muted, limit: inner.maxX)
        }
    }

    static func drawList(_ frame: inout Frame, _ state: AppState, _ rect: Rect) {
        let focused = (state.focus == .list && state.mode == .normal) || state.mode == .filter
        var suffix = state.entries.isEmpty ? "" : "\(state.visible.count)/\(state.entries.count)"
        if !state.filter.isEmpty { suffix = "/" + InertText.make(state.filter) + "  " + suffix }
        if !state.markedEntries.isEmpty { suffix = "● \(state.markedEntries.count) marked  " + suffix }
        frame.box(rect, title: "3 Variables & connections", focused: focused, titleSuffix: suffix)
        let inner = rect.inner
        if state.visible.isEmpty {
            let text: String
            if state.deploymentState == nil || (state.entries.isEmpty && state.deploymentState?.isLoading == true) {
                text = "loading tiers…"
            } else if state.entries.isEmpty {
                text = "no variables or connections in any tier"
            } else {
                text = "nothing matches the filter · Esc clears it"
            }
            frame.put(" " + text, x: inner.x, y: inner.y, role: .muted, limit: inner.maxX)
            return
        }
        let tierWidth = 10
        let markerWidth = min(24, max(0, inner.width - 34))
        let idWidth = max(6, inner.width - 6 - tierWidth - markerWidth - 1)
        for row in 0..<inner.height {
            let index = state.listScroll + row
            guard index < state.visible.count else { break }
            let entry = state.entries[state.visible[index]]
            let y = inner.y + row
            let isConnection = entry.resolution.key.kind == .connection
            let kindRole: StyleRole = isConnection ? .kindConnection : .kindVariable
            // The mark column is the row's first cell: "●" for an entry marked for C.
            let marked = state.markedEntries.contains(entry.key)
            var column = frame.put(marked ? "●" : " ", x: inner.x, y: y, role: marked ? .ok : kindRole, limit: inner.maxX)
            column = frame.put(isConnection ? "CONN " : "VAR  ", x: column, y: y, role: kindRole, limit: inner.maxX)
            column = frame.put(DisplayWidth.pad(entry.displayID, to: idWidth), x: column, y: y, role: .text, limit: inner.maxX)
            column = frame.put(" ", x: column, y: y, role: .text, limit: inner.maxX)
            if let winner = entry.resolution.winner {
                column = frame.put(DisplayWidth.pad(winner.shortName, to: tierWidth), x: column, y: y, role: winner.role, limit: inner.maxX)
            } else {
                let loading = entry.resolution.tiers.contains { $0.state == .loading }
                column = frame.put(DisplayWidth.pad(loading ? "…" : "none", to: tierWidth), x: column, y: y,
                                   role: loading ? .loading : .error, limit: inner.maxX)
            }
            drawMarkers(&frame, entry, x: column, y: y, limit: inner.maxX)
            if index == state.selected {
                frame.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1),
                              role: focused ? .selection : .selectionInactive)
            }
        }
        if state.visible.count > inner.height {
            let position = "\(state.selected + 1) of \(state.visible.count)"
            frame.put(" " + position + " ", x: max(rect.x + 2, rect.maxX - DisplayWidth.of(position) - 4),
                      y: rect.maxY - 1, role: .muted, limit: rect.maxX - 1)
        }
    }

    /// Markers in words when they fit, otherwise as symbols alone (the help overlay explains them).
    static func drawMarkers(_ frame: inout Frame, _ entry: Entry, x: Int, y: Int, limit: Int) {
        var markers: [(word: String, symbol: String, role: StyleRole)] = []
        if entry.shadowedCount > 0 { markers.append(("⚑\(entry.shadowedCount)", "⚑\(entry.shadowedCount)", .markerShadowed)) }
        if entry.differs { markers.append(("≠ differs", "≠", .markerDiffers)) }
        if entry.collides { markers.append(("⇄ collision", "⇄", .markerCollision)) }
        if entry.unreadable { markers.append(("✗ unreadable", "✗", .markerUnreadable)) }
        let wordsWidth = markers.reduce(0) { $0 + DisplayWidth.of($1.word) + 1 }
        let useWords = x + wordsWidth - 1 <= limit
        var column = x
        for marker in markers {
            column = frame.put((useWords ? marker.word : marker.symbol) + " ", x: column, y: y, role: marker.role, limit: limit)
        }
    }

    static func drawDetail(_ frame: inout Frame, _ state: AppState, _ rect: Rect) {
        let focused = state.focus == .detail && state.mode == .normal
        guard let entry = state.selectedEntry else {
            frame.box(rect, title: "4 Detail", focused: focused)
            frame.put(" select an entry to see where its value comes from", x: rect.inner.x, y: rect.inner.y,
                      role: .muted, limit: rect.inner.maxX)
            return
        }
        let revealed = state.isRevealed(entry.key)
        frame.box(rect, title: "4 " + entry.displayID, focused: focused, titleSuffix: revealed ? "revealed" : "")
        let inner = rect.inner
        let lines = PaneLines.detail(state, in: rect)
        for row in 0..<inner.height {
            let index = state.detailScroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(" ", x: inner.x, y: inner.y + row, role: .text)
            frame.put(lines[index], x: inner.x + 1, y: inner.y + row, limit: inner.maxX)
        }
        if lines.count > inner.height + state.detailScroll {
            frame.put(" ↓ more ", x: rect.maxX - 10, y: rect.maxY - 1, role: .muted, limit: rect.maxX - 1)
        }
    }

    // MARK: - Status line

    static func drawStatus(_ frame: inout Frame, _ state: AppState, _ rect: Rect) {
        frame.fill(rect, role: .statusBar)
        let y = rect.y
        var right = statusRight(state, compact: false)
        if DisplayWidth.of(right.plainText) > rect.width / 2 { right = statusRight(state, compact: true) }
        let rightWidth = min(DisplayWidth.of(right.plainText), max(0, rect.width / 2))
        let leftLimit = rect.maxX - rightWidth - 1
        switch state.mode {
        case .filter:
            var column = frame.put("/", x: 0, y: y, role: .prompt, limit: leftLimit)
            column = frame.put(InertText.make(state.filter), x: column, y: y, role: .prompt, limit: leftLimit)
            column = frame.put("▏", x: column, y: y, role: .prompt, limit: leftLimit)
            putWords("  Enter keep · Esc clear · @env @backend @metastore @shadowed @differs var: conn:",
                     into: &frame, x: column, y: y, limit: leftLimit)
        case .command:
            var column = frame.put(":", x: 0, y: y, role: .prompt, limit: leftLimit)
            column = frame.put(InertText.make(state.commandText), x: column, y: y, role: .prompt, limit: leftLimit)
            column = frame.put("▏", x: column, y: y, role: .prompt, limit: leftLimit)
            putWords("  deployment NAME · theme NAME · q · Enter run · Esc cancel", into: &frame, x: column, y: y, limit: leftLimit)
        default:
            if let message = state.message {
                let role: StyleRole = message.level == .error ? .error : message.level == .warning ? .warning : .message
                frame.put(" " + message.text + " ", x: 0, y: y, role: role, limit: leftLimit)
            } else {
                drawHints(&frame, state, y: y, limit: leftLimit)
            }
        }
        frame.put(right, x: rect.maxX - rightWidth, y: y, limit: rect.maxX)
    }

    static func drawHints(_ frame: inout Frame, _ state: AppState, y: Int, limit: Int) {
        var hints: [(keys: String, text: String)]
        switch state.mode {
        case .help: hints = [("j/k", "scroll"), ("Esc/?", "close help")]
        case .copyMenu: hints = [("letter", "copy"), ("Esc", "cancel")]
        case .editor:
            hints = state.editor?.typing != nil ? [("Enter", "keep"), ("Esc", "undo"), ("Ctrl-S", "stage")]
                : [("Enter", "type"), ("x", "reveal"), ("t", "tier"), ("E", "$EDITOR"), ("s", "stage"), ("Esc", "close")]
        case .staged: hints = [("s", "save"), ("u", "undo"), ("e", "edit"), ("Esc", "close")]
        case .deleteConfirm: hints = [("type id", "confirm"), ("Tab", "tier"), ("Enter", "stage"), ("Esc", "cancel")]
        case .confirmQuit: hints = [("y", "quit"), ("n", "stay")]
        case .operations: hints = [("j/k", "scroll"), ("Esc", "close")]
        case .copyTargets: hints = [("j/k", "move"), ("Enter", "plan"), ("Esc", "cancel")]
        case .copyPlan: hints = [("o", "on conflict"), ("s", "apply"), ("Esc", "close")]
        case .compare:
            hints = state.compare?.fieldsKey != nil
                ? [("j/k", "scroll"), ("x", "reveal"), ("Esc", "back"), ("q", "close")]
                : [("j/k", "move"), ("s/d/p/a", "filter"), ("Enter", "fields"), ("Esc/q", "close")]
        default: hints = state.visibleKeyMap.hints(for: state.focus)
        }
        var column = 1
        for (index, hint) in hints.enumerated() {
            let text = (index > 0 ? " · " : "") + hint.keys + " " + hint.text
            if column + DisplayWidth.of(text) > limit { break }    // whole hints only
            if index > 0 { column = frame.put(" · ", x: column, y: y, role: .statusBar, limit: limit) }
            column = frame.put(hint.keys, x: column, y: y, role: .statusKey, limit: limit)
            column = frame.put(" " + hint.text, x: column, y: y, role: .statusBar, limit: limit)
        }
    }

    /// Writes as many whole words as fit.
    static func putWords(_ text: String, into frame: inout Frame, x: Int, y: Int, limit: Int) {
        var shown = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let next = shown.isEmpty ? String(word) : shown + " " + word
            if x + DisplayWidth.of(next) > limit { break }
            shown = next
        }
        frame.put(shown, x: x, y: y, role: .statusBar, limit: limit)
    }

    /// "local · backend ✓ · env ✓ · metastore …", or "local B✓ E✓ M…" when space is short.
    static func statusRight(_ state: AppState, compact: Bool) -> StyledLine {
        var line = StyledLine()
        guard let deployment = state.activeDeploymentValue else { return line }
        if !state.staged.isEmpty { line.add("● \(state.staged.count) staged ", .warning) }
        if let session = state.copySession, session.isApplying, let progress = session.progress {
            line.add("copying \(progress.done)/\(progress.total) ", .loading)
        }
        if AppReducer.editingRefusal(state) != nil { line.add("read-only ", .warning) }
        line.add(InertText.make(deployment.name), .statusKey)
        if let tiers = state.deploymentState {
            for tier in tiers.chain {
                let (mark, role): (String, StyleRole)
                switch tiers.tiers[tier] {
                case .loaded?: (mark, role) = ("✓", .ok)
                case .loading?: (mark, role) = ("…", .loading)
                case .failed?: (mark, role) = ("✗", .error)
                case .unavailable?, nil: (mark, role) = ("–", .statusBar)
                }
                line.add(compact ? " " + String(tier.shortName.prefix(1)).uppercased() : " · " + tier.shortName + " ", .statusBar)
                line.add(mark, role)
            }
        }
        line.add(" ", .statusBar)
        return line
    }

    // MARK: - Overlays

    static func drawHelp(_ frame: inout Frame, _ state: AppState) {
        let width = min(state.size.columns - 4, 84)
        let height = state.size.rows - 2
        let rect = Rect(x: (state.size.columns - width) / 2, y: 0, width: width, height: height)
        frame.fill(rect, role: .text)
        frame.box(rect, title: "Help", focused: true, titleSuffix: "Esc closes")
        let inner = rect.inner
        let lines = HelpContent.lines(state)
        for row in 0..<inner.height {
            let index = state.helpScroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(lines[index], x: inner.x + 1, y: inner.y + row, limit: inner.maxX)
        }
        if lines.count > inner.height + state.helpScroll {
            frame.put(" ↓ j/k scroll ", x: rect.maxX - 16, y: rect.maxY - 1, role: .muted, limit: rect.maxX - 1)
        }
    }

    static func drawCopyMenu(_ frame: inout Frame, _ state: AppState, _ detail: Rect) {
        guard let entry = state.selectedEntry else { return }
        let choices = AppReducer.copyChoices(for: entry)
        let width = min(detail.width - 2, 40)
        let rect = Rect(x: detail.x + 1, y: detail.y + 1, width: width, height: choices.count + 3)
        frame.fill(rect, role: .text)
        frame.box(rect, title: "Copy", focused: true, titleSuffix: "Esc cancels")
        for (index, choice) in choices.enumerated() {
            let y = rect.y + 1 + index
            let column = frame.put(" " + String(choice.key) + " ", x: rect.x + 1, y: y, role: .helpKey, limit: rect.maxX - 1)
            frame.put(choice.label, x: column, y: y, role: .text, limit: rect.maxX - 1)
        }
        frame.put(" copies through OSC 52", x: rect.x + 1, y: rect.maxY - 2, role: .muted, limit: rect.maxX - 1)
    }
}
