/// The comparison overlay's keys, as the help overlay lists them. The overlay's own handler
/// (`AppReducer.handleCompare`) follows this list.
enum CompareHelp {
    static let bindings: [(keys: String, text: String)] = [
        ("j k", "move between rows (scroll the field view)"),
        ("g G", "first / last row"),
        ("PgUp PgDn", "a page up / down"),
        ("s", "only ids another tier shadows"),
        ("d", "only ids whose tiers hold different values"),
        ("p", "only problems: no value, unreadable or unreachable tier, collision"),
        ("a", "every id again"),
        ("Enter", "field view: which fields differ (secrets as fingerprints)"),
        ("x", "in the field view: reveal secret fields"),
        ("Esc", "back from the field view, else close"),
        ("q c", "close the comparison"),
    ]
}
