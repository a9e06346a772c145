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
    public static func field(_ label: String, _ value: String, _ role: StyleRole = .value, labelWidth: Int = 12) -> StyledLine {
        var line = StyledLine(DisplayWidth.pad(label, to: labelWidth), .label)
        line.add(value, role)
        return line
    }

    public var plainText: String { spans.map(\.text).joined() }
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
