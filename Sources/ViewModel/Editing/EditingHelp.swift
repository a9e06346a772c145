/// The editor's and the staged view's keys, as the help overlay lists them. The handlers
/// (`AppReducer.handleEditor`, `handleStaged`, `handleDelete`) follow this list.
enum EditingHelp {
    static let bindings: [(keys: String, text: String)] = [
        ("j k Tab", "editor: move between rows"),
        ("Enter i", "type in the row (Enter keeps it, Esc undoes it)"),
        ("paste", "a URI pasted on the URI row fills every field"),
        ("x", "reveal the password and secret extras"),
        ("t", "the tier to write to (unavailable ones say why)"),
        ("f", "how the tier stores the connection: uri, json, fields"),
        ("E", "the URI or value in $VISUAL / $EDITOR"),
        ("s Ctrl-S", "stage the change (nothing is written yet)"),
        ("Esc q", "close the editor, discarding what is not staged"),
        ("S", "staged changes: masked diff, warnings, refusals"),
        ("s", "in the staged view: save every staged change"),
        ("u", "in the staged view: undo (drop) the selected change"),
        ("D", "delete from a tier: type the id, then Enter"),
    ]
}
