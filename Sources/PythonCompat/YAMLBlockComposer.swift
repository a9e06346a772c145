/// A fast composer for the plain block-style subset of YAML that secret files and
/// `airflow_settings.yaml` are written in: block mappings and sequences (indented or not,
/// `- key: value` compact mappings), plain scalars on one line, single- or double-quoted
/// scalars without escapes, whole-line comments and blank lines.
///
/// It builds exactly the nodes `YAMLComposer` builds through libyaml (kinds, tags, marks,
/// values, plain flags), first as a flat `YAMLBlockDocument` (no object per node; readers
/// that only need a few values read it directly) — or returns `nil` as soon as it meets anything outside that subset
/// (non-ASCII or control characters, tabs, CR, anchors, aliases, tags, flow collections,
/// block scalars, multi-line or empty scalars, trailing comments, directives, document
/// markers, escapes, over-long keys, errors of any kind), and then libyaml does the work with
/// PyYAML's exact behaviour and messages. Tests check both paths agree on every YAML fixture.
package struct YAMLBlockComposer {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Content lines (blank and whole-line comment lines left out).
    private var lines: [Line] = []
    private var index = 0
    private var nodes: [YAMLBlockDocument.Node] = []
    private var children: [Int32] = []
    /// Children of the collections being composed, innermost last; each collection moves its
    /// own run into `children` when it ends.
    private var pending: [Int32] = []

    private struct Line {
        package var number: Int
        package var start: Int
        package var end: Int
        package var indent: Int
    }

    private struct Unsupported: Error {}

    /// The document root, or `nil` when the text is outside the subset (or empty).
    package static func compose(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLNode? {
        composeDocument(bytes)?.node(bytes: bytes)
    }

    /// The document as flat nodes over `bytes`, or `nil` when the text is outside the subset
    /// (or empty).
    package static func composeDocument(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLBlockDocument? {
        // Offsets are stored in 32 bits.
        guard bytes.count < Int(Int32.max) else { return nil }
        var composer = YAMLBlockComposer(bytes: bytes)
        guard composer.splitLines(), !composer.lines.isEmpty else { return nil }
        do {
            let first = composer.lines[0]
            composer.nodes.reserveCapacity(composer.lines.count * 2 + 1)
            composer.children.reserveCapacity(composer.lines.count * 2)
            let root = try composer.block(line: 0, column: first.indent)
            // Anything left over (a line indented less than the root) is for libyaml to judge.
            guard composer.index == composer.lines.count else { return nil }
            return YAMLBlockDocument(nodes: composer.nodes, children: composer.children, root: root)
        } catch {
            return nil
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Splits the text into content lines; `false` for a byte outside printable ASCII.
    private mutating func splitLines() -> Bool {
        var lineStart = 0
        var number = 0
        let count = bytes.count
        lines.reserveCapacity(count / 24)
        var i = 0
        let base = UnsafeRawPointer(bytes.baseAddress)
        while i <= count {
            // Eight plain printable bytes at a time (no newline, control, DEL or non-ASCII byte),
            // away from a line's start where a document marker could be.
            if let base, i != lineStart, i + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                let belowSpace = (word &- 0x2020_2020_2020_2020) & ~word & high
                let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
                let isDel = (del &- 0x0101_0101_0101_0101) & ~del & high
                if (word & high) | belowSpace | isDel == 0 {
                    i += 8
                    continue
                }
            }
            if i == count || bytes[i] == 0x0A {
                var indent = lineStart
                while indent < i, bytes[indent] == 0x20 { indent += 1 }
                if indent < i, bytes[indent] != UInt8(ascii: "#") {
                    lines.append(Line(number: number, start: lineStart, end: i, indent: indent - lineStart))
                }
                number += 1
                lineStart = i + 1
            } else if bytes[i] < 0x20 || bytes[i] > 0x7E {
                return false
            } else if i == lineStart, i + 2 < count,
                      (bytes[i] == UInt8(ascii: "-") && bytes[i + 1] == UInt8(ascii: "-") && bytes[i + 2] == UInt8(ascii: "-"))
                      || (bytes[i] == UInt8(ascii: ".") && bytes[i + 1] == UInt8(ascii: ".") && bytes[i + 2] == UInt8(ascii: ".")) {
                return false // a document marker, or something libyaml should judge
            }
            i += 1
        }
        return true
    }

    /// Appends a scalar node; its index.
    private mutating func scalarNode(_ line: Line, column: Int, value: Range<Int>, isPlain: Bool) -> Int32 {
        nodes.append(YAMLBlockDocument.Node(kind: .scalar, isPlain: isPlain, line: Int32(line.number), column: Int32(column),
                                            start: Int32(value.lowerBound), end: Int32(value.upperBound)))
        return Int32(nodes.count - 1)
    }

    /// Appends a collection whose children are `pending[base...]`; its index.
    private mutating func collectionNode(_ kind: YAMLNode.Kind, _ line: Line, column: Int, base: Int) -> Int32 {
        let start = children.count
        children.append(contentsOf: pending[base...])
        pending.removeSubrange(base...)
        nodes.append(YAMLBlockDocument.Node(kind: kind, isPlain: false, line: Int32(line.number), column: Int32(column),
                                            start: Int32(start), end: Int32(children.count)))
        return Int32(nodes.count - 1)
    }

    /// The node whose first token is at `column` of content line `line`; on return `index`
    /// points past its last line.
    private mutating func block(line lineIndex: Int, column: Int) throws -> Int32 {
        let line = lines[lineIndex]
        let position = line.start + column
        if isEntryIndicator(at: position, end: line.end) {
            return try sequence(line: lineIndex, column: column)
        }
        if try keyEnd(from: position, end: line.end) != nil {
            return try mapping(line: lineIndex, column: column)
        }
        throw Unsupported() // a scalar in block position (maybe multi-line): libyaml's
    }

    /// `-` followed by a space or the end of the line.
    private func isEntryIndicator(at position: Int, end: Int) -> Bool {
        bytes[position] == UInt8(ascii: "-") && (position + 1 == end || bytes[position + 1] == 0x20)
    }

    private mutating func sequence(line lineIndex: Int, column: Int) throws -> Int32 {
        let base = pending.count
        index = lineIndex
        while index < lines.count {
            let line = lines[index]
            // The first entry may follow a parent's `- ` on the same line.
            let isFirst = pending.count == base
            if !isFirst {
                if line.indent < column { break }
                if line.indent > column { throw Unsupported() }
            }
            let position = line.start + column
            guard isEntryIndicator(at: position, end: line.end) else {
                if isFirst { throw Unsupported() }
                break // an indentless sequence ends at its mapping's next key
            }
            var content = position + 1
            while content < line.end, bytes[content] == 0x20 { content += 1 }
            if content == line.end { throw Unsupported() } // nested block or empty entry
            if isEntryIndicator(at: content, end: line.end) { throw Unsupported() } // `- - x`
            let contentColumn = content - line.start
            if try keyEnd(from: content, end: line.end) != nil {
                let item = try mapping(line: index, column: contentColumn)
                pending.append(item)
            } else {
                let item = try scalar(line: line, from: content)
                pending.append(item)
                index += 1
                try expectNoContinuation(deeperThan: column)
            }
        }
        return collectionNode(.sequence, lines[lineIndex], column: column, base: base)
    }

    private mutating func mapping(line lineIndex: Int, column: Int) throws -> Int32 {
        let base = pending.count
        index = lineIndex
        while index < lines.count {
            let line = lines[index]
            if pending.count != base {
                if line.indent < column { break }
                if line.indent > column { throw Unsupported() }
            }
            let position = line.start + column
            if isEntryIndicator(at: position, end: line.end) { throw Unsupported() }
            guard let colon = try keyEnd(from: position, end: line.end) else { throw Unsupported() }
            let key = try keyScalar(line: line, from: position, colon: colon)
            var content = colon + 1
            while content < line.end, bytes[content] == 0x20 { content += 1 }
            if content < line.end {
                let value = try scalar(line: line, from: content)
                pending.append(key)
                pending.append(value)
                index += 1
                try expectNoContinuation(deeperThan: column)
                continue
            }
            // The value is a block on the following lines: deeper, or an indentless sequence.
            index += 1
            guard index < lines.count else { throw Unsupported() } // empty value
            let next = lines[index]
            pending.append(key)
            let value: Int32
            if next.indent > column {
                value = try block(line: index, column: next.indent)
            } else if next.indent == column, isEntryIndicator(at: next.start + column, end: next.end) {
                value = try sequence(line: index, column: column)
            } else {
                throw Unsupported() // empty value
            }
            pending.append(value)
        }
        return collectionNode(.mapping, lines[lineIndex], column: column, base: base)
    }

    /// After a scalar ending a line, a deeper line would continue it (or be an error).
    private func expectNoContinuation(deeperThan column: Int) throws {
        if index < lines.count, lines[index].indent > column { throw Unsupported() }
    }

    /// The position of the `:` ending a simple key that starts at `position`, or `nil` when
    /// the line does not start with one.
    private func keyEnd(from position: Int, end: Int) throws -> Int? {
        let first = bytes[position]
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
            var close = position + 1
            while close < end, bytes[close] != first { close += 1 }
            guard close < end else { throw Unsupported() }
            let colon = close + 1
            guard colon < end, bytes[colon] == UInt8(ascii: ":") else { return nil }
            guard colon + 1 == end || bytes[colon + 1] == 0x20 else { throw Unsupported() }
            return colon
        }
        var i = position
        while i < end {
            if bytes[i] == UInt8(ascii: ":"), i + 1 == end || bytes[i + 1] == 0x20 { return i }
            i += 1
        }
        return nil
    }

    private mutating func keyScalar(line: Line, from position: Int, colon: Int) throws -> Int32 {
        // libyaml refuses simple keys longer than 1024 characters.
        guard colon - position <= 1000 else { throw Unsupported() }
        let first = bytes[position]
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
            return try quoted(line: line, from: position, close: colon - 1)
        }
        var upper = colon
        while upper > position, bytes[upper - 1] == 0x20 { upper -= 1 }
        guard upper == colon else { throw Unsupported() } // `key :`
        return try plain(line: line, from: position, to: upper, isKey: true)
    }

    /// A scalar running from `position` to the end of the line.
    private mutating func scalar(line: Line, from position: Int) throws -> Int32 {
        let first = bytes[position]
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
            var close = position + 1
            while close < line.end, bytes[close] != first { close += 1 }
            guard close < line.end else { throw Unsupported() }
            var after = close + 1
            while after < line.end, bytes[after] == 0x20 { after += 1 }
            guard after == line.end else { throw Unsupported() }
            return try quoted(line: line, from: position, close: close)
        }
        var upper = line.end
        while upper > position, bytes[upper - 1] == 0x20 { upper -= 1 }
        return try plain(line: line, from: position, to: upper, isKey: false)
    }

    private mutating func quoted(line: Line, from position: Int, close: Int) throws -> Int32 {
        let quote = bytes[position]
        for i in (position + 1)..<close {
            // Escapes (`\` in double quotes) are libyaml's to decode; `''` never reaches here
            // as one scalar, since the first `'` closes it.
            if quote == UInt8(ascii: "\""), bytes[i] == UInt8(ascii: "\\") { throw Unsupported() }
        }
        if quote == UInt8(ascii: "'"), close + 1 < line.end, bytes[close + 1] == UInt8(ascii: "'") {
            throw Unsupported()
        }
        return scalarNode(line, column: position - line.start, value: (position + 1)..<close, isPlain: false)
    }

    private mutating func plain(line: Line, from position: Int, to upper: Int, isKey: Bool) throws -> Int32 {
        guard position < upper else { throw Unsupported() }
        // Indicators that may start something other than a plain scalar, or start one only
        // in some contexts, are left to libyaml.
        switch bytes[position] {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
             UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""),
             UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "<"):
            throw Unsupported()
        default: break
        }
        var i = position
        while i < upper {
            let byte = bytes[i]
            if byte == UInt8(ascii: "#") { throw Unsupported() } // a comment, or not: libyaml decides
            if byte == UInt8(ascii: ":") {
                // `: ` ends a plain scalar; in a key no colon is left to guess about.
                if isKey || i + 1 == upper || bytes[i + 1] == 0x20 { throw Unsupported() }
            }
            i += 1
        }
        return scalarNode(line, column: position - line.start, value: position..<upper, isPlain: true)
    }
}
