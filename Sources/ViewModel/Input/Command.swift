/// What a key binding does, named for the user's intent.
public enum Command: String, Sendable, Hashable, CaseIterable {
    case moveDown, moveUp, top, bottom, pageDown, pageUp
    case nextPane, previousPane
    case focusDeployments, focusBackend, focusList, focusDetail
    case open, back
    case filter, reveal, copy, refresh, commandLine, help, quit
    case edit, compare, mark
}
