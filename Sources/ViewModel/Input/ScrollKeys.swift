/// What a key does in an overlay that only scrolls: the help and the operations log.
enum ScrollCommand: Hashable, Sendable {
    case quit, close, down, up, top, bottom, pageDown, pageUp

    /// `offset` moved as the command asks, within `0...maximum`; a page is `page` rows.
    func scroll(_ offset: inout Int, page: Int, maximum: Int) {
        switch self {
        case .down: offset = min(maximum, offset + 1)
        case .up: offset = max(0, offset - 1)
        case .top: offset = 0
        case .bottom: offset = maximum
        case .pageDown: offset = min(maximum, offset + page)
        case .pageUp: offset = max(0, offset - page)
        case .quit, .close: break
        }
    }
}

/// The help overlay's keys.
enum HelpKeys {
    static let map = OverlayKeyMap<ScrollCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down], .down, "scroll down"),
        .init([.char("k"), .up], .up, "scroll up"),
        .init([.char("g"), .home], .top, "the top"),
        .init([.char("G"), .end], .bottom, "the end"),
        .init([.pageDown, .char(" ")], .pageDown, "a page down"),
        .init([.pageUp], .pageUp, "a page up"),
        .init([.escape, .char("?"), .char("q"), .enter], .close, "close the help"),
    ])
}

/// The operations log's keys.
enum OperationsKeys {
    static let map = OverlayKeyMap<ScrollCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down], .down, "scroll down"),
        .init([.char("k"), .up], .up, "scroll up"),
        .init([.char("g"), .home], .top, "the oldest entries"),
        .init([.char("G"), .end], .bottom, "the newest entries"),
        .init([.pageDown, .ctrl("f")], .pageDown, "a page down"),
        .init([.pageUp, .ctrl("b")], .pageUp, "a page up"),
        .init([.escape, .char("q"), .char("@")], .close, "close the log"),
    ])
}
