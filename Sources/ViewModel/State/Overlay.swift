/// What has the keyboard: the list (`none`), a prompt, or an overlay with the state only it
/// has. One value, so that an editor without the editor open, or a delete dialog under the
/// comparison, cannot be built.
public enum Overlay: Sendable, Equatable {
    case none
    case filter
    case command
    case help
    case copyMenu
    /// The comparison overlay (`c`, `:compare`).
    case compare(CompareView)
    /// The editor of one variable or connection (`e`, `n`, `:new`).
    case editor(EditorState)
    /// The staged changes, their masked diff, and saving them (`S`).
    case staged
    /// Deleting an entry: the id must be typed (`D`, `:delete`).
    case deleteConfirm(DeleteDialog)
    /// Quitting with staged changes not saved.
    case confirmQuit
    /// The operations log (`@`).
    case operations
    /// Where to copy the marked entries (`C`).
    case copyTargets(CopyTargetPicker)
    /// The copy plan, applying it and what it did (`AppState.copySession`).
    case copyPlan

    /// Which kind of overlay this is, without its state.
    public var mode: InputMode {
        switch self {
        case .none: .normal
        case .filter: .filter
        case .command: .command
        case .help: .help
        case .copyMenu: .copyMenu
        case .compare: .compare
        case .editor: .editor
        case .staged: .staged
        case .deleteConfirm: .deleteConfirm
        case .confirmQuit: .confirmQuit
        case .operations: .operations
        case .copyTargets: .copyTargets
        case .copyPlan: .copyPlan
        }
    }
}

extension AppState {
    /// Which overlay has the keyboard.
    public var mode: InputMode { overlay.mode }

    /// The comparison, while it is open; setting one opens it, setting nil closes it.
    public var compare: CompareView? {
        get { if case .compare(let view) = overlay { view } else { nil } }
        set { replace(newValue.map(Overlay.compare), closing: .compare) }
    }

    /// The editor, while it is open; setting one opens it, setting nil closes it.
    public var editor: EditorState? {
        get { if case .editor(let editor) = overlay { editor } else { nil } }
        set { replace(newValue.map(Overlay.editor), closing: .editor) }
    }

    /// The delete confirmation, while it is open; setting one opens it, setting nil closes it.
    public var deleteDialog: DeleteDialog? {
        get { if case .deleteConfirm(let dialog) = overlay { dialog } else { nil } }
        set { replace(newValue.map(Overlay.deleteConfirm), closing: .deleteConfirm) }
    }

    /// The copy-target picker, while it is open; setting one opens it, setting nil closes it.
    public var copyPicker: CopyTargetPicker? {
        get { if case .copyTargets(let picker) = overlay { picker } else { nil } }
        set { replace(newValue.map(Overlay.copyTargets), closing: .copyTargets) }
    }

    private mutating func replace(_ opened: Overlay?, closing mode: InputMode) {
        if let opened {
            overlay = opened
        } else if overlay.mode == mode {
            overlay = .none
        }
    }
}
