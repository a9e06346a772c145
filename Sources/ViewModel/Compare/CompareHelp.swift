/// What a key does in the comparison overlay.
enum CompareCommand: Hashable, Sendable {
    case quit, close, back
    case down, up, top, bottom, pageDown, pageUp
    case showAll, showShadowed, showDiffering, showProblems
    case openFields, revealFields
}

/// The comparison overlay's keys: `AppReducer.handleCompare` dispatches through them and the
/// help overlay lists them.
enum CompareKeys {
    static let map = OverlayKeyMap<CompareCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down], .down, "next row (in the field view: scroll)"),
        .init([.char("k"), .up], .up, "previous row"),
        .init([.char("g"), .home], .top, "first row"),
        .init([.char("G"), .end], .bottom, "last row"),
        .init([.pageDown, .ctrl("f")], .pageDown, "a page down"),
        .init([.pageUp, .ctrl("b")], .pageUp, "a page up"),
        .init([.char("s")], .showShadowed, "only ids another tier shadows"),
        .init([.char("d")], .showDiffering, "only ids whose tiers hold different values"),
        .init([.char("p")], .showProblems, "only problems: no value, unreadable or unreachable tier, collision"),
        .init([.char("a")], .showAll, "every id again"),
        .init([.enter], .openFields, "field view: which fields differ (secrets as fingerprints)"),
        .init([.char("x")], .revealFields, "in the field view: reveal secret fields"),
        .init([.escape], .back, "back from the field view, else close"),
        .init([.char("q"), .char("c")], .close, "close the comparison"),
    ])
}
