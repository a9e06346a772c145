import Engine

extension AppReducer {
    /// Space in the list or the detail: marks or unmarks the selected entry and moves down, so
    /// Space held marks a run of entries.
    static func toggleEntryMark(_ state: inout AppState) {
        guard let entry = state.selectedEntry else {
            show(&state, "nothing selected to mark", .info)
            return
        }
        if state.markedEntries.remove(entry.key) == nil { state.markedEntries.insert(entry.key) }
        if state.focus == .list, state.selected < state.visible.count - 1 {
            state.selected += 1
            state.detailScroll = 0
            state.revealed = nil
            clampScrolls(&state)
        }
        showMarkCount(&state)
    }

    /// `*`: marks every entry the filter shows; when all of them are marked already, unmarks them.
    static func markFiltered(_ state: inout AppState) {
        let shown = state.visible.map { state.entries[$0].key }
        guard !shown.isEmpty else {
            show(&state, "no entry shown to mark", .info)
            return
        }
        let marked = state.markedEntries
        if shown.allSatisfy({ marked.contains($0) }) {
            state.markedEntries.subtract(shown)
        } else {
            state.markedEntries.formUnion(shown)
        }
        showMarkCount(&state)
    }

    /// `u`: clears every mark.
    static func clearMarks(_ state: inout AppState) {
        let count = state.markedEntries.count
        state.markedEntries = []
        show(&state, count == 0 ? "nothing was marked" : "cleared \(count) mark\(count == 1 ? "" : "s")", .info)
    }

    private static func showMarkCount(_ state: inout AppState) {
        let count = state.markedEntries.count
        show(&state, count == 0 ? "no entry marked"
             : "\(count) entr\(count == 1 ? "y" : "ies") marked · C copies \(count == 1 ? "it" : "them") · u clears the marks", .info)
    }

    /// The marked keys the list holds, in list order; else the selected entry's key.
    static func keysToCopy(_ state: AppState) -> [SecretKey] {
        let marked = state.entries.map(\.key).filter { state.markedEntries.contains($0) }
        if !marked.isEmpty { return marked }
        return state.selectedEntry.map { [$0.key] } ?? []
    }
}
