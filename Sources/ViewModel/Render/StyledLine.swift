/// A line of text made of styled spans, before it is placed in a frame.
public struct StyledLine: Sendable, Equatable {
    public struct Span: Sendable, Equatable {
        public var text: String
        public var role: StyleRole
    }

    public var spans: [Span] = []

    public init() {}

    public init(_ text: String, _ role: StyleRole = .text) {
        spans = [Span(text: text, role: role)]
    }

    /// Appends a span; the text must already be inert.
    public mutating func add(_ text: String, _ role: StyleRole = .text) {
        spans.append(Span(text: text, role: role))
    }

    /// A `label  value` line with the label padded to `labelWidth` columns.
    public static func field(_ label: String, _ value: String, _ role: StyleRole = .value, labelWidth: Int = 13) -> StyledLine {
        var line = StyledLine(DisplayWidth.pad(label, to: labelWidth), .label)
        line.add(value, role)
        return line
    }

    public var plainText: String { spans.map(\.text).joined() }

    /// The line folded to `width` columns at spaces where it can (inside long words where it
    /// cannot); continuation lines start with `indent` spaces.
    public func wrapped(width: Int, indent: Int) -> [StyledLine] {
        guard width > indent + 4, DisplayWidth.of(plainText) > width else { return [self] }
        var cells: [(text: String, width: Int, role: StyleRole)] = []
        for span in spans {
            for cell in DisplayWidth.cells(of: span.text) { cells.append((cell.text, cell.width, span.role)) }
        }
        var lines: [StyledLine] = []
        var start = 0
        var first = true
        while start < cells.count {
            let room = width - (first ? 0 : indent)
            var end = start, used = 0
            while end < cells.count, used + cells[end].width <= room { used += cells[end].width; end += 1 }
            if end < cells.count, let space = cells[start..<end].lastIndex(where: { $0.text == " " }), space > start + room / 3 {
                end = space + 1
            }
            var line = first ? StyledLine() : StyledLine(String(repeating: " ", count: indent), .text)
            for cell in cells[start..<end] {
                if let last = line.spans.last, last.role == cell.role {
                    line.spans[line.spans.count - 1].text += cell.text
                } else {
                    line.add(cell.text, cell.role)
                }
            }
            lines.append(line)
            start = end
            while start < cells.count, cells[start].text == " " { start += 1 }
            first = false
        }
        return lines
    }
}

extension Frame {
    /// Draws a styled line from (x, y), clipped at `limit`.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, limit: Int) -> Int {
        var column = x
        for span in line.spans {
            if column >= limit { break }
            column = put(span.text, x: column, y: y, role: span.role, limit: limit)
        }
        return column
    }
}
