/// What a key does in a one-line prompt (the filter, the command line); other printable keys
/// are typed into it.
enum PromptCommand: Hashable, Sendable {
    case deleteBackward, clear, accept, cancel, quit
    case moveDown, moveUp, pageDown, pageUp
}

/// The filter prompt's keys (`/`): typing narrows the list as you go.
enum FilterKeys {
    static let map = OverlayKeyMap<PromptCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.enter, .tab], .accept, "keep the filter and go back to the list"),
        .init([.escape], .cancel, "clear the filter"),
        .init([.backspace, .delete], .deleteBackward, "delete the last character"),
        .init([.ctrl("u")], .clear, "clear what is typed"),
        .init([.down], .moveDown, "move down the list while typing"),
        .init([.up], .moveUp, "move up the list while typing"),
        .init([.pageDown], .pageDown, "a page down"),
        .init([.pageUp], .pageUp, "a page up"),
    ])
}

/// The command line's keys (`:`).
enum CommandLineKeys {
    static let map = OverlayKeyMap<PromptCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.enter], .accept, "run the command"),
        .init([.escape], .cancel, "leave the command line"),
        .init([.backspace, .delete], .deleteBackward, "delete the last character (leaves when empty)"),
        .init([.ctrl("u")], .clear, "clear what is typed"),
    ])
}
