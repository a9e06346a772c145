/// One terminal cell: a spacing character with any combining marks, and its meaning.
/// A wide character fills its first cell; the cell after it holds `""` (a continuation).
public struct Cell: Sendable, Hashable {
    public var text: String
    public var role: StyleRole

    public init(_ text: String, _ role: StyleRole) {
        self.text = text
        self.role = role
    }

    public static let blank = Cell(" ", .text)

    /// Whether this cell is the right half of a wide character.
    public var isContinuation: Bool { text.isEmpty }
}

/// A full screen of cells with style roles: what the view model draws and the terminal shows.
public struct Frame: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(0, size.columns * size.rows))
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.columns + x]
    }

    /// Sets every cell of `rect` to a blank of `role`.
    public mutating func fill(_ rect: Rect, role: StyleRole) {
        let clipped = clip(rect)
        guard clipped.width > 0 else { return }
        for y in clipped.y..<clipped.maxY {
            let base = y * size.columns
            // A wide character cut by the rectangle's edges loses its outside half too.
            clearWideNeighbour(at: clipped.x, base: base)
            clearWideNeighbour(at: clipped.maxX - 1, base: base)
            for x in clipped.x..<clipped.maxX { cells[base + x] = Cell(" ", role) }
        }
    }

    /// Writes text from (x, y), never past `limit` (the exclusive right edge, default the
    /// frame's), and returns the column after the last cell written. A wide character that
    /// would straddle the edge is replaced by a space. The text must already be inert.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, limit: Int? = nil) -> Int {
        guard y >= 0, y < size.rows, x < size.columns else { return x }
        let right = min(limit ?? size.columns, size.columns)
        var column = x
        let base = y * size.columns
        // ASCII fast path: one byte is one cell.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            for byte in text.utf8 {
                if column >= right { break }
                if column >= 0 {
                    clearWideNeighbour(at: column, base: base)
                    cells[base + column] = Cell(String(UnicodeScalar(byte)), role)
                }
                column += 1
            }
            return column
        }
        for cell in DisplayWidth.cells(of: text) {
            if column + cell.width > right {
                if column < right, column >= 0 {
                    clearWideNeighbour(at: column, base: base)
                    cells[base + column] = Cell(" ", role)
                    column += 1
                }
                break
            }
            if column >= 0 {
                clearWideNeighbour(at: column, base: base)
                if cell.width == 2 { clearWideNeighbour(at: column + 1, base: base) }
                cells[base + column] = Cell(cell.text, role)
                if cell.width == 2 { cells[base + column + 1] = Cell("", role) }
            }
            column += cell.width
        }
        return column
    }

    /// Changes the role of the cells in `rect`, keeping their text.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        let clipped = clip(rect)
        guard clipped.width > 0 else { return }
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { cells[y * size.columns + x].role = role }
        }
    }

    /// Draws a single-line box around `rect` with a title in its top edge.
    public mutating func box(_ rect: Rect, title: String = "", focused: Bool = false, titleSuffix: String = "") {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let role: StyleRole = focused ? .borderFocused : .border
        let top = rect.y, bottom = rect.maxY - 1, left = rect.x, right = rect.maxX - 1
        for x in (left + 1)..<right {
            put("─", x: x, y: top, role: role)
            put("─", x: x, y: bottom, role: role)
        }
        for y in (top + 1)..<bottom {
            put("│", x: left, y: y, role: role)
            put("│", x: right, y: y, role: role)
        }
        put("┌", x: left, y: top, role: role)
        put("┐", x: right, y: top, role: role)
        put("└", x: left, y: bottom, role: role)
        put("┘", x: right, y: bottom, role: role)
        guard !title.isEmpty, rect.width > 4 else { return }
        var column = put(" ", x: left + 1, y: top, role: role)
        column = put(title, x: column, y: top, role: focused ? .titleFocused : .title, limit: right - 1)
        if !titleSuffix.isEmpty, column < right - 2 {
            column = put(" " + titleSuffix, x: column, y: top, role: .muted, limit: right - 1)
        }
        put(" ", x: column, y: top, role: role, limit: right)
    }

    private func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(size.columns, rect.maxX), y1 = min(size.rows, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Overwriting half of a wide character must blank its other half, or the terminal and
    /// the frame would disagree about what is on screen.
    private mutating func clearWideNeighbour(at column: Int, base: Int) {
        guard column >= 0, column < size.columns else { return }
        if cells[base + column].isContinuation, column > 0 { cells[base + column - 1].text = " " }
        if column + 1 < size.columns, cells[base + column + 1].isContinuation { cells[base + column + 1].text = " " }
    }
}

extension Frame {
    /// The screen as text, one line per row, wide characters once (continuations skipped).
    public var textLines: [String] {
        (0..<size.rows).map { y in
            var line = ""
            for x in 0..<size.columns { line += self[x, y].text }
            return line
        }
    }

    /// The style layer: per row, runs of roles other than `text` as `start-end role`, by column.
    public var styleLines: [String] {
        var lines: [String] = []
        for y in 0..<size.rows {
            var runs: [String] = []
            var x = 0
            while x < size.columns {
                let role = self[x, y].role
                var end = x
                while end + 1 < size.columns, self[end + 1, y].role == role { end += 1 }
                if role != .text { runs.append("\(x)-\(end) \(role.rawValue)") }
                x = end + 1
            }
            if !runs.isEmpty { lines.append("\(y): " + runs.joined(separator: " ")) }
        }
        return lines
    }

    /// Text plus style layer, the format of snapshot files.
    public var snapshot: String {
        textLines.joined(separator: "\n") + "\n--- styles\n" + styleLines.joined(separator: "\n") + "\n"
    }
}
