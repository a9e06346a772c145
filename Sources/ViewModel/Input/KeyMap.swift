/// One key binding: the keys, what they do, and how help describes it.
public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var command: Command
    /// The help overlay's description.
    public var help: String
    /// The help overlay's section.
    public var section: String
    /// The short status-line hint, for the panes where it applies (none: help only).
    public var hint: String?
    public var hintPanes: Set<Pane>

    public init(_ keys: [Key], _ command: Command, _ help: String, section: String,
                hint: String? = nil, in panes: Set<Pane> = []) {
        self.keys = keys
        self.command = command
        self.help = help
        self.section = section
        self.hint = hint
        self.hintPanes = panes
    }

    /// The keys as help shows them: "j ↓".
    public var keyLabel: String { keys.map(\.label).joined(separator: " ") }
}

/// The key map: the single source for dispatch, the help overlay and the status-line hints.
public struct KeyMap: Sendable, Equatable {
    public var bindings: [KeyBinding]
    private var index: [Key: Command]

    public init(_ bindings: [KeyBinding]) {
        self.bindings = bindings
        var index: [Key: Command] = [:]
        for binding in bindings {
            for key in binding.keys where index[key] == nil { index[key] = binding.command }
        }
        self.index = index
    }

    /// The command bound to `key`, if any.
    public func command(for key: Key) -> Command? { index[key] }

    /// The keys bound to `command`, as help labels them.
    public func keyLabel(for command: Command) -> String {
        bindings.first { $0.command == command }?.keyLabel ?? ""
    }

    /// The hints that apply in `pane`, in key-map order.
    public func hints(for pane: Pane) -> [(keys: String, text: String)] {
        bindings.compactMap { binding in
            guard let hint = binding.hint, binding.hintPanes.contains(pane) else { return nil }
            return (binding.keys.prefix(2).map(\.label).joined(separator: "/"), hint)
        }
    }

    /// The map without the commands that write, for read-only deployments and `--read-only`.
    public func withoutEditing() -> KeyMap {
        KeyMap(bindings.filter { !Command.editing.contains($0.command) })
    }

    /// Strata's bindings, following k9s and lazygit.
    public static let standard = KeyMap([
        KeyBinding([.char("j"), .down], .moveDown, "move down / scroll down", section: "Move",
                   hint: "move", in: [.deployments, .list]),
        KeyBinding([.char("k"), .up], .moveUp, "move up / scroll up", section: "Move"),
        KeyBinding([.char("g"), .home], .top, "go to the first row", section: "Move"),
        KeyBinding([.char("G"), .end], .bottom, "go to the last row", section: "Move"),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, "page down", section: "Move"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page up", section: "Move"),
        KeyBinding([.tab], .nextPane, "focus the next pane", section: "Panes",
                   hint: "next pane", in: [.deployments, .backend]),
        KeyBinding([.backTab], .previousPane, "focus the previous pane", section: "Panes"),
        KeyBinding([.char("1")], .focusDeployments, "focus Deployments", section: "Panes"),
        KeyBinding([.char("2")], .focusBackend, "focus Active backend", section: "Panes"),
        KeyBinding([.char("3")], .focusList, "focus Variables & connections", section: "Panes"),
        KeyBinding([.char("4")], .focusDetail, "focus Detail", section: "Panes"),
        KeyBinding([.enter], .open, "open: switch to the deployment / show the entry's detail",
                   section: "Panes", hint: "open", in: [.deployments, .list]),
        KeyBinding([.escape], .back, "back: leave the detail, clear the filter, close an overlay",
                   section: "Panes", hint: "back", in: [.detail]),
        KeyBinding([.char("/")], .filter, "filter the list (see the tokens below)", section: "Actions",
                   hint: "filter", in: [.list, .detail]),
        KeyBinding([.char("x")], .reveal, "reveal the focused value (masks again by itself)",
                   section: "Actions", hint: "reveal", in: [.list, .detail]),
        KeyBinding([.char("y")], .copy, "copy the value, URI, JSON or AIRFLOW_… line (OSC 52)",
                   section: "Actions", hint: "copy", in: [.list, .detail]),
        KeyBinding([.char("t")], .testConnection, "test the connection from the deployment's own Airflow (its api: block)",
                   section: "Actions"),
        KeyBinding([.char("R")], .refresh, "reload every tier of the deployment", section: "Actions",
                   hint: "refresh", in: [.backend]),
        KeyBinding([.char("c")], .compare, "compare tiers side by side, or the marked deployments",
                   section: "Actions"),
        KeyBinding([.char(" ")], .mark, "mark the entry for C; in Deployments, one to compare with c", section: "Actions"),
        KeyBinding([.char("*")], .markFiltered, "mark every entry the filter shows (again: unmark them)", section: "Actions"),
        KeyBinding([.char("u")], .clearMarks, "clear every mark", section: "Actions"),
        KeyBinding([.char(":")], .commandLine, "command line: deployment NAME, theme NAME, q",
                   section: "Actions"),
        KeyBinding([.char("@")], .operationsLog, "operations log: every write and remote call of this session",
                   section: "Actions"),
        KeyBinding([.char("?")], .help, "show or hide this help", section: "Actions",
                   hint: "help", in: [.deployments, .backend, .list, .detail]),
        KeyBinding([.char("q"), .ctrl("c")], .quit, "quit", section: "Actions",
                   hint: "quit", in: [.deployments, .backend, .list, .detail]),
        KeyBinding([.char("e")], .edit, "edit the entry: a form with the URI and JSON kept in step",
                   section: "Editing", hint: "edit", in: [.list, .detail]),
        KeyBinding([.char("E")], .editExternal, "edit the URI or the value in $VISUAL / $EDITOR", section: "Editing"),
        KeyBinding([.char("n")], .newEntry, "new connection or variable (:new conn ID, :new var KEY)", section: "Editing"),
        KeyBinding([.char("D")], .delete, "delete the entry from one tier (type its id to confirm)", section: "Editing"),
        KeyBinding([.char("S")], .staged, "staged changes: masked diff, s saves them, u undoes one",
                   section: "Editing", hint: "staged", in: [.list, .detail]),
        KeyBinding([.char("C")], .copyTo, "copy the marked (or selected) entries to a tier or deployment",
                   section: "Editing"),
    ])
}
