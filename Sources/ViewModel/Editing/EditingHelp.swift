/// The editor's keys, as the help overlay lists them; `AppReducer.handleEditor` and
/// `handleDelete` follow this list. (The staged view's keys come from `StagedKeys`.)
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
        ("D", "delete from a tier: type the id, then Enter"),
    ]
}
