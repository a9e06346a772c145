/// What a key does in the delete confirmation; any other key edits the typed id.
enum DeleteCommand: Hashable, Sendable {
    case quit, cancel, nextTier, previousTier, confirm
}

/// The delete confirmation's keys: `AppReducer.handleDelete` dispatches through them and the
/// help overlay lists them.
enum DeleteKeys {
    static let map = OverlayKeyMap<DeleteCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.tab, .down], .nextTier, "the next tier to delete from"),
        .init([.backTab, .up], .previousTier, "the previous tier"),
        .init([.enter], .confirm, "stage the delete once the id is typed exactly (nothing is written yet)"),
        .init([.escape], .cancel, "cancel"),
    ])
}
