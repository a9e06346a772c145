/// What a key does in the copy-target picker.
enum CopyPickerCommand: Hashable, Sendable {
    case quit, close, down, up, top, bottom, choose
}

/// What a key does in the copy-plan view.
enum CopyPlanCommand: Hashable, Sendable {
    case quit, close, down, up, top, bottom, policy, apply
}

/// The keys of `C`'s picker and of the copy plan: the reducer dispatches through them and the
/// help overlay lists them.
enum CopyKeys {
    static let picker = OverlayKeyMap<CopyPickerCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down], .down, "next destination"),
        .init([.char("k"), .up], .up, "previous destination"),
        .init([.char("g"), .home], .top, "first destination"),
        .init([.char("G"), .end], .bottom, "last destination"),
        .init([.enter], .choose, "plan the copy into it (nothing is written yet)"),
        .init([.escape, .char("q")], .close, "cancel"),
    ])

    static let plan = OverlayKeyMap<CopyPlanCommand>([
        .init([.ctrl("c")], .quit, nil),
        .init([.char("j"), .down], .down, "scroll down"),
        .init([.char("k"), .up], .up, "scroll up"),
        .init([.char("g"), .home], .top, "top"),
        .init([.char("G"), .end], .bottom, "bottom"),
        .init([.char("o")], .policy, "on conflict: fail → skip → overwrite (plans again)"),
        .init([.char("s"), .ctrl("s")], .apply, "apply the plan (each write verified, the target read again)"),
        .init([.escape, .char("q")], .close, "close (a copy under way goes on)"),
    ])
}
