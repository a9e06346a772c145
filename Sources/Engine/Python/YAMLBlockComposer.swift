/// A fast composer for the plain block-style subset of YAML that secret files and
/// `airflow_settings.yaml` are written in: block mappings and sequences (indented or not,
/// `- key: value` compact mappings), plain scalars on one line, single- or double-quoted
/// scalars without escapes, whole-line comments and blank lines.
///
/// It builds exactly the nodes `YAMLComposer` builds through libyaml (kinds, tags, marks,
/// values, plain flags) — or returns `nil` as soon as it meets anything outside that subset
/// (non-ASCII or control characters, tabs, CR, anchors, aliases, tags, flow collections,
/// block scalars, multi-line or empty scalars, trailing comments, directives, document
/// markers, escapes, over-long keys, errors of any kind), and then libyaml does the work with
/// PyYAML's exact behaviour and messages. Tests check both paths agree on every YAML fixture.
struct YAMLBlockComposer {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Content lines (blank and whole-line comment lines left out).
    private var lines: [Line] = []
    private var index = 0

    private struct Line {
        var number: Int
        var start: Int
        var end: Int
        var indent: Int
    }

    private struct Unsupported: Error {}

    /// The document root, or `nil` when the text is outside the subset (or empty).
    static func compose(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLNode? {
        var composer = YAMLBlockComposer(bytes: bytes)
        guard composer.splitLines(), !composer.lines.isEmpty else { return nil }
        do {
            let first = composer.lines[0]
            let root = try composer.block(line: 0, column: first.indent)
            // Anything left over (a line indented less than the root) is for libyaml to judge.
            guard composer.index == composer.lines.count else { return nil }
            return root
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
        while i <= count {
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

    private func mark(_ line: Line, _ column: Int) -> YAMLMark {
        YAMLMark(line: line.number, column: column)
    }

    /// The node whose first token is at `column` of content line `line`; on return `index`
    /// points past its last line.
    private mutating func block(line lineIndex: Int, column: Int) throws -> YAMLNode {
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

    private mutating func sequence(line lineIndex: Int, column: Int) throws -> YAMLNode {
        let node = YAMLNode(kind: .sequence, tag: YAMLComposer.defaultSequenceTag, mark: mark(lines[lineIndex], column))
        index = lineIndex
        while index < lines.count {
            let line = lines[index]
            // The first entry may follow a parent's `- ` on the same line.
            let isFirst = node.items.isEmpty
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
                node.items.append(try mapping(line: index, column: contentColumn))
            } else {
                node.items.append(try scalar(line: line, from: content))
                index += 1
                try expectNoContinuation(deeperThan: column)
            }
        }
        return node
    }

    private mutating func mapping(line lineIndex: Int, column: Int) throws -> YAMLNode {
        let node = YAMLNode(kind: .mapping, tag: YAMLComposer.defaultMappingTag, mark: mark(lines[lineIndex], column))
        index = lineIndex
        while index < lines.count {
            let line = lines[index]
            if !node.pairs.isEmpty {
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
                node.pairs.append((key, value))
                index += 1
                try expectNoContinuation(deeperThan: column)
                continue
            }
            // The value is a block on the following lines: deeper, or an indentless sequence.
            index += 1
            guard index < lines.count else { throw Unsupported() } // empty value
            let next = lines[index]
            if next.indent > column {
                node.pairs.append((key, try block(line: index, column: next.indent)))
            } else if next.indent == column, isEntryIndicator(at: next.start + column, end: next.end) {
                node.pairs.append((key, try sequence(line: index, column: column)))
            } else {
                throw Unsupported() // empty value
            }
        }
        return node
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

    private func keyScalar(line: Line, from position: Int, colon: Int) throws -> YAMLNode {
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
    private func scalar(line: Line, from position: Int) throws -> YAMLNode {
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

    private func quoted(line: Line, from position: Int, close: Int) throws -> YAMLNode {
        let quote = bytes[position]
        for i in (position + 1)..<close {
            // Escapes (`\` in double quotes) are libyaml's to decode; `''` never reaches here
            // as one scalar, since the first `'` closes it.
            if quote == UInt8(ascii: "\""), bytes[i] == UInt8(ascii: "\\") { throw Unsupported() }
        }
        if quote == UInt8(ascii: "'"), close + 1 < line.end, bytes[close + 1] == UInt8(ascii: "'") {
            throw Unsupported()
        }
        let node = YAMLNode(kind: .scalar, tag: YAMLComposer.defaultScalarTag, mark: mark(line, position - line.start))
        node.value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 1)..<close]), as: UTF8.self)
        return node
    }

    private func plain(line: Line, from position: Int, to upper: Int, isKey: Bool) throws -> YAMLNode {
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
        let node = YAMLNode(kind: .scalar, tag: "", mark: mark(line, position - line.start))
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<upper]), as: UTF8.self)
        node.tag = YAMLResolver.implicitTag(for: value)
        node.value = value
        node.isPlain = true
        return node
    }
}
