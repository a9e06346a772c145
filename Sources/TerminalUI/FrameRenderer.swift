import CNcursesw
import ViewModel

/// Copies frames to the ncurses screen, writing only the cells that changed since the last one.
struct FrameRenderer {
    private var previous: Frame?
    var palette: Palette

    init(palette: Palette) {
        self.palette = palette
    }

    /// Forgets the screen's contents so the next frame is drawn whole (after a resize or a theme change).
    mutating func invalidate() { previous = nil }

    /// Draws `frame` into the virtual screen and sends the difference to the terminal.
    mutating func draw(_ frame: Frame) {
        let window = cn_stdscr()!
        let full = previous?.size != frame.size
        if full { werase(window) }
        var wide: [wchar_t] = []
        var glyph = cchar_t()
        for y in 0..<frame.size.rows {
            for x in 0..<frame.size.columns {
                let cell = frame[x, y]
                if cell.isContinuation { continue }
                if !full, let previous, previous[x, y] == cell,
                   x + 1 >= frame.size.columns || previous[x + 1, y] == frame[x + 1, y] { continue }
                wide.removeAll(keepingCapacity: true)
                for scalar in cell.text.unicodeScalars { wide.append(wchar_t(bitPattern: scalar.value)) }
                if wide.isEmpty { wide.append(32) }
                wide.append(0)
                let attr = palette.attributes[cell.role] ?? 0
                let pair = palette.pairs[cell.role] ?? 0
                _ = setcchar(&glyph, wide, attr, pair, nil)
                _ = mvwadd_wch(window, Int32(y), Int32(x), &glyph)
            }
        }
        wnoutrefresh(window)
        doupdate()
        previous = frame
    }
}
