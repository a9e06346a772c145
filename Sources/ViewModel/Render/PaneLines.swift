/// The lines of the two scrolling panes exactly as they are drawn for a state and a pane's
/// rectangle, wrapped to the columns the text really gets (the box's inner width less the
/// one-column margin). The reducer clamps scrolling with these and the renderer draws these,
/// so the wrapped tail of a long revealed value or long kwargs can always be scrolled into view.
enum PaneLines {
    /// The detail pane's lines for the selected entry (none without one).
    static func detail(_ state: AppState, in rect: Rect) -> [StyledLine] {
        guard let entry = state.selectedEntry else { return [] }
        return DetailContent.lines(for: entry, state: state, width: rect.inner.width)
    }

    /// The backend pane's lines, continuation lines indented under their value.
    static func backend(_ state: AppState, in rect: Rect) -> [StyledLine] {
        BackendContent.lines(state).flatMap { $0.wrapped(width: rect.inner.width - 1, indent: 8) }
    }

    /// The first line that may be at the top: the last screenful ends at the last line.
    static func maximumScroll(lineCount: Int, in rect: Rect) -> Int {
        max(0, lineCount - max(1, rect.inner.height))
    }
}
