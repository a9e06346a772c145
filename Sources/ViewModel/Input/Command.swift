/// What a key binding does, named for the user's intent.
public enum Command: String, Sendable, Hashable, CaseIterable {
    case moveDown, moveUp, top, bottom, pageDown, pageUp
    case nextPane, previousPane
    case focusDeployments, focusBackend, focusList, focusDetail
    case open, back
    case filter, reveal, copy, refresh, commandLine, help, quit, testConnection
    case edit, compare, mark, markFiltered, clearMarks
    case editExternal, newEntry, delete, staged, operationsLog, copyTo

    /// The commands that write, hidden and refused where nothing may be written.
    public static let editing: Set<Command> = [.edit, .editExternal, .newEntry, .delete, .staged, .copyTo]
}
