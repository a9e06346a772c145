/// What a key does in the editor while no row is being typed in and no picker is open.
enum EditorCommand: Hashable, Sendable {
    case quit, close, down, up, top, bottom, type, pickTier, cycleForm, reveal, externalEditor, stage
}

/// The editor's keys: `AppReducer.handleEditor` dispatches through them and the help overlay
/// lists them. (Typing in a row and the tier picker read keys as text and choices.)
enum EditorKeys {
    static let map = OverlayKeyMap<EditorCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down, .tab], .down, "next row"),
        .init([.char("k"), .up, .backTab], .up, "previous row"),
        .init([.char("g"), .home], .top, "first row"),
        .init([.char("G"), .end], .bottom, "last row"),
        .init([.enter, .char("i")], .type, "type in the row (Enter keeps it, Esc undoes it); on the tier row, pick the tier"),
        .init([.char("t")], .pickTier, "the tier to write to (unavailable ones say why)"),
        .init([.char("f")], .cycleForm, "how the tier stores the connection: uri, json, fields"),
        .init([.char("x")], .reveal, "reveal the password and secret extras"),
        .init([.char("E")], .externalEditor, "the URI or value in $VISUAL / $EDITOR"),
        .init([.char("s"), .ctrl("s")], .stage, "stage the change (nothing is written yet)"),
        .init([.escape, .char("q")], .close, "close the editor, discarding what is not staged"),
    ])

    /// What the help says besides the keys.
    static let notes: [(keys: String, text: String)] = [
        ("paste", "a URI pasted on the URI row fills every field"),
    ]
}
