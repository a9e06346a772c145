import Engine
import PythonCompat

extension AppReducer {
    /// `D`, `:delete`: asks for the id before staging a delete from one tier.
    static func openDelete(_ state: inout AppState) -> [AppEffect] {
        guard !refuseEditing(&state) else { return [] }
        guard let entry = state.selectedEntry else {
            show(&state, "nothing selected to delete", .info)
            return []
        }
        let writable = Set(writerSlots(state).filter { $0.writer != nil }.map(\.tier))
        let holding = entry.resolution.tiers.filter { tier in
            guard writable.contains(tier.tier) else { return false }
            switch tier.state {
            case .present, .empty, .unreadable: return true
            default: return false
            }
        }.map(\.tier)
        guard !holding.isEmpty else {
            show(&state, "no tier that Strata can write holds \(entry.displayID)", .warning)
            return []
        }
        var dialog = DeleteDialog(key: entry.key, tiers: holding)
        dialog.tierIndex = entry.resolution.winner.flatMap { holding.firstIndex(of: $0) } ?? 0
        state.deleteDialog = dialog
        return []
    }

    static func handleDelete(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        guard var dialog = state.deleteDialog else {
            state.overlay = .none
            return []
        }
        switch DeleteKeys.map.command(for: key) {
        case .quit: return requestQuit(&state)
        case .cancel:
            state.deleteDialog = nil
            state.overlay = .none
            show(&state, "delete cancelled", .info)
            return []
        case .nextTier: dialog.tierIndex = (dialog.tierIndex + 1) % dialog.tiers.count
        case .previousTier: dialog.tierIndex = (dialog.tierIndex + dialog.tiers.count - 1) % dialog.tiers.count
        case .confirm:
            guard dialog.typed.text == dialog.key.id, let tier = dialog.tier else {
                dialog.error = "type the id exactly as it is to delete it"
                state.deleteDialog = dialog
                return []
            }
            state.deleteDialog = nil
            stage(&state, StagedEdit(change: .delete(dialog.key), tier: tier))
            return []
        case nil:
            if dialog.typed.handle(key) { dialog.error = nil }
        }
        state.deleteDialog = dialog
        return []
    }

    static func pasteIntoDelete(_ state: inout AppState, _ text: String) {
        state.deleteDialog?.typed.insert(text.trimmingSpaces)
        state.deleteDialog?.error = nil
    }

    // MARK: - Operations log

    static func handleOperations(_ state: inout AppState, _ key: Key) -> [AppEffect] {
        let page = max(1, state.size.rows - 6)
        let maxScroll = max(0, state.operations.count - page)
        switch OperationsKeys.map.command(for: key) {
        case .quit?: return requestQuit(&state)
        case .close?: state.overlay = .none
        case let command?: command.scroll(&state.operationsScroll, page: page, maximum: maxScroll)
        case nil: break
        }
        return []
    }
}
