/// What a key does in the staged-changes view.
enum StagedCommand: Hashable, Sendable {
    case quit, close, down, up, top, bottom, drop, save, reopen
}

/// The staged view's keys: `AppReducer.handleStaged` dispatches through them and the help
/// overlay lists them.
enum StagedKeys {
    static let map = OverlayKeyMap<StagedCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down], .down, "next change"),
        .init([.char("k"), .up], .up, "previous change"),
        .init([.char("g"), .home], .top, "first change"),
        .init([.char("G"), .end], .bottom, "last change"),
        .init([.char("s"), .ctrl("s")], .save, "save every staged change (each write verified)"),
        .init([.char("u"), .char("d")], .drop, "undo (drop) the selected change; nothing is written"),
        .init([.char("e"), .enter], .reopen, "reopen the selected change in the editor"),
        .init([.escape, .char("q"), .char("S")], .close, "close the staged view"),
    ])
}
