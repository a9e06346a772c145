import Engine

extension AppReducer {
    /// Opens the tier comparison of the current deployment (key `c`).
    static func openTierComparison(_ state: inout AppState) -> [AppEffect] {
        guard let deploymentState = state.deploymentState else {
            show(&state, "the deployment is still loading; try again in a moment", .info)
            return []
        }
        let matrix = TierMatrix(tiers: deploymentState.chain, resolutions: state.entries.map(\.resolution))
        var view = CompareView(.tiers(matrix))
        if let key = state.selectedEntry?.key, let index = view.shownKeys.firstIndex(of: key) { view.cursor = index }
        state.compare = view
        clampCompare(&state)
        return []
    }

    /// Rebuilds an open tier comparison after the resolutions changed (a tier arrived).
    static func refreshTierComparison(_ state: inout AppState) {
        guard state.mode == .compare, var view = state.compare, case .tiers = view.content,
              let deploymentState = state.deploymentState else { return }
        view.replace(.tiers(TierMatrix(tiers: deploymentState.chain, resolutions: state.entries.map(\.resolution))))
        state.compare = view
        clampCompare(&state)
    }

    static func handleCompare(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard var view = state.compare else {
            state.overlay = .none
            return []
        }
        let page = max(1, CompareLayout.bodyRows(state.size) - 1)
        let inFields = view.fieldsKey != nil
        guard let command = CompareKeys.map.command(for: key) else { return [] }
        switch command {
        case .quit:
            state.isQuitting = true
            return [.quit]
        case .close:
            state.compare = nil
            state.overlay = .none
            return []
        case .back:
            if inFields {
                view.fieldsKey = nil
                view.revealed = false
            } else {
                state.compare = nil
                state.overlay = .none
                return []
            }
        case .down: inFields ? (view.fieldScroll += 1) : (view.cursor += 1)
        case .up: inFields ? (view.fieldScroll -= 1) : (view.cursor -= 1)
        case .top: inFields ? (view.fieldScroll = 0) : (view.cursor = 0)
        case .bottom: inFields ? (view.fieldScroll = Int.max / 4) : (view.cursor = Int.max / 4)
        case .pageDown: inFields ? (view.fieldScroll += page) : (view.cursor += page)
        case .pageUp: inFields ? (view.fieldScroll -= page) : (view.cursor -= page)
        case .showAll: view.setFilter(.all, keeping: view.selectedKey)
        case .showShadowed: view.setFilter(.shadowed, keeping: view.selectedKey)
        case .showDiffering: view.setFilter(.differing, keeping: view.selectedKey)
        case .showProblems: view.setFilter(.problems, keeping: view.selectedKey)
        case .openFields:
            if !inFields, let key = view.selectedKey {
                view.fieldsKey = key
                view.fieldScroll = 0
                view.revealed = false
            }
        case .revealFields:
            if inFields { view.revealed.toggle() }
        }
        state.compare = view
        clampCompare(&state)
        return []
    }

    /// Keeps the cursor on a row and the scroll positions inside the content.
    static func clampCompare(_ state: inout AppState) {
        guard var view = state.compare else { return }
        let rows = CompareLayout.bodyRows(state.size)
        view.cursor = max(0, min(view.cursor, view.shownKeys.count - 1))
        if view.cursor < view.scroll { view.scroll = view.cursor }
        if view.cursor >= view.scroll + rows { view.scroll = view.cursor - rows + 1 }
        view.scroll = max(0, min(view.scroll, max(0, view.shownKeys.count - rows)))
        if let key = view.fieldsKey {
            let total = FieldComparison.rows(view.fieldColumns(key)).count
            view.fieldScroll = max(0, min(view.fieldScroll, total - CompareLayout.fieldRows(state.size)))
        }
        state.compare = view
    }
}
