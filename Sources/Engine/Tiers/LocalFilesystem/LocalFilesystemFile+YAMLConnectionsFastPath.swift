import Foundation
import PythonCompat

extension LocalFilesystemFile {
    /// `fastYAMLConnectionRows` as connections (what `loadConnections` returns), or `nil`.
    static func fastConnections(yaml text: String, dialect: ConnectionDialect) -> [LocalFileConnection]? {
        let parserDialect: ConnectionDialect = dialect == .sdk ? .core : dialect
        return text.withSharedUTF8 { bytes -> [LocalFileConnection]? in
            guard let rows = fastYAMLConnectionRows(bytes, parserDialect: parserDialect) else { return nil }
            var connections: [LocalFileConnection] = []
            connections.reserveCapacity(rows.count)
            for row in 0..<rows.count {
                guard let connection = yamlConnection(row: rows[row], bytes, parserDialect: parserDialect) else { return nil }
                let key = LocalFileRows.string(rows[row].keyRange, bytes)
                connections.append(LocalFileConnection(key: .string(key), connection: connection, connID: sanitizedConnID(key),
                                                       line: Int(rows[row].line)))
            }
            return connections
        }
    }

    /// The connections of a YAML connections file in the common shape, as rows: each row's key
    /// is the entry's key and its value range is the entry's whole text, from the start of the
    /// key's line to the next top-level key, which `yamlConnection(row:…)` reads again.
    ///
    /// The common shape is a top-level block mapping whose entries each compose on their own
    /// with `YAMLBlockComposer` (plain block style, ASCII, no anchors, tags or flow collections),
    /// with keys that resolve to `str`, each once, and values that are scalars (URIs) or
    /// mappings. Each value is constructed by PyYAML's constructor and made a connection by
    /// `_create_connection`, as the general path does; anything else — a list value, a
    /// duplicate or non-`str` key, a line indented less than the first, a value the constructor
    /// or `_create_connection` refuses — declines, so every error and every unusual case still
    /// comes from the general path. Entries are composed one at a time: the file is never held
    /// as one tree of nodes.
    static func fastYAMLConnectionRows(_ bytes: UnsafeBufferPointer<UInt8>, parserDialect: ConnectionDialect) -> LocalFileRows? {
        guard LocalFileRows.fit(bytes.count), let starts = entryStarts(bytes) else { return nil }
        // Entries are independent: they are composed and checked on every core, each into its
        // own slot, then gathered in file order.
        var keyRanges = [UInt64](repeating: 0, count: starts.count)
        let shared = SharedBytes(bytes: bytes)
        keyRanges.withUnsafeMutableBufferPointer { output in
            let slots = SharedSlots(buffer: output)
            let chunkSize = 1024
            DispatchQueue.concurrentPerform(iterations: (starts.count + chunkSize - 1) / chunkSize) { chunk in
                for entry in (chunk * chunkSize)..<min(starts.count, (chunk + 1) * chunkSize) {
                    let end = entry + 1 < starts.count ? Int(starts[entry + 1].offset) : shared.bytes.count
                    let span = Int(starts[entry].offset)..<end
                    // The first entry's text starts with the file, so that what comes before
                    // its key (comments, blank lines) is checked as libyaml would check it.
                    let keyLine = Int(starts[entry].line)
                    slots.buffer[entry] = checkedKeyRange(span, line: keyLine + 1, keyLineInSpan: entry == 0 ? keyLine : 0,
                                                          shared.bytes, parserDialect: parserDialect).map(packed) ?? Self.declined
                }
            }
        }
        var rows = LocalFileRows(reservingCapacity: starts.count)
        var keys = ByteRangeIndex(capacity: starts.count)
        for entry in starts.indices {
            guard keyRanges[entry] != Self.declined else { return nil }
            let keyRange = Int(keyRanges[entry] >> 32)..<Int(keyRanges[entry] & 0xFFFF_FFFF)
            guard keys.insert(keyRange, of: bytes).inserted else { return nil }
            let end = entry + 1 < starts.count ? Int(starts[entry + 1].offset) : bytes.count
            rows.append(key: keyRange, value: Int(starts[entry].offset)..<end, line: Int(starts[entry].line) + 1)
        }
        return rows
    }

    /// Where each top-level entry starts (its key line's offset — 0 for the first — and the
    /// key line's 0-based number): lines
    /// indented as the first content line; blank and comment lines belong to the entry before.
    /// `nil` for no entry or a line indented less than the first.
    private static func entryStarts(_ bytes: UnsafeBufferPointer<UInt8>) -> [(offset: UInt32, line: UInt32)]? {
        var starts: [(offset: UInt32, line: UInt32)] = []
        starts.reserveCapacity(bytes.count / 64 + 1)
        var rootIndent = -1
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            var indent = lineStart
            while indent < bytes.count, bytes[indent] == 0x20 { indent += 1 }
            var lineEnd = indent
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            if indent < lineEnd, bytes[indent] != UInt8(ascii: "#") {
                let column = indent - lineStart
                if rootIndent < 0 { rootIndent = column }
                // A line indented less than the mapping is for libyaml to judge.
                if column < rootIndent { return nil }
                if column == rootIndent {
                    // The text fits 32 bits (checked by the caller), and so does its line count.
                    // The first entry starts with the file (see the caller).
                    starts.append((starts.isEmpty ? 0 : UInt32(truncatingIfNeeded: lineStart), UInt32(truncatingIfNeeded: lineNumber)))
                }
            }
            lineNumber += 1
            lineStart = lineEnd + 1
        }
        return starts.isEmpty ? nil : starts
    }

    /// Composes one entry's text and checks it: the range of its key in `bytes`, or `nil` to
    /// decline the file.
    private static func checkedKeyRange(_ span: Range<Int>, line: Int, keyLineInSpan: Int, _ bytes: UnsafeBufferPointer<UInt8>,
                                        parserDialect: ConnectionDialect) -> Range<Int>? {
        let text = UnsafeBufferPointer(rebasing: bytes[span])
        guard let document = YAMLBlockComposer.composeDocument(text) else { return nil }
        let root = document.nodes[Int(document.root)]
        guard root.kind == .mapping, root.end - root.start == 2 else { return nil }
        let keyNode = document.nodes[Int(document.children[Int(root.start)])]
        let valueIndex = document.children[Int(root.start) + 1]
        guard keyNode.kind == .scalar, Int(keyNode.line) == keyLineInSpan, document.nodes[Int(valueIndex)].kind != .sequence else { return nil }
        let keyRange = (span.lowerBound + Int(keyNode.start))..<(span.lowerBound + Int(keyNode.end))
        let key = LocalFileRows.string(keyRange, bytes)
        if keyNode.isPlain, YAMLResolver.implicitTag(for: key) != YAMLResolver.strTag { return nil }
        guard (try? connection(key: key, value: document.node(valueIndex, bytes: text), parserDialect: parserDialect,
                               line: line)) != nil else { return nil }
        return keyRange
    }

    private static let declined = UInt64.max
    private static func packed(_ range: Range<Int>) -> UInt64 { UInt64(range.lowerBound) << 32 | UInt64(range.upperBound) }

    /// The connection of row `row` of `fastYAMLConnectionRows`, read again from its span:
    /// exactly what it gave the first time.
    static func yamlConnection(row: LocalFileRows.Row, _ bytes: UnsafeBufferPointer<UInt8>,
                               parserDialect: ConnectionDialect) -> Connection? {
        let span = UnsafeBufferPointer(rebasing: bytes[row.valueRange])
        guard let document = YAMLBlockComposer.composeDocument(span) else { return nil }
        let root = document.nodes[Int(document.root)]
        guard root.kind == .mapping, root.end - root.start == 2 else { return nil }
        let key = LocalFileRows.string(row.keyRange, bytes)
        return try? connection(key: key, value: document.node(document.children[Int(root.start) + 1], bytes: span),
                               parserDialect: parserDialect, line: Int(row.line))
    }

    private static func connection(key: String, value: YAMLNode, parserDialect: ConnectionDialect, line: Int) throws -> Connection {
        var constructor = YAMLConstructor()
        let constructed = try constructor.construct(value)
        return try createConnection(key: .string(key), value: constructed, dialect: parserDialect, line: line)
    }
}

/// The file's bytes, read (never written) by every core while the entries are checked.
private struct SharedBytes: @unchecked Sendable { let bytes: UnsafeBufferPointer<UInt8> }
/// One slot per entry; each core writes only the slots of its own entries.
private struct SharedSlots: @unchecked Sendable { let buffer: UnsafeMutableBufferPointer<UInt64> }
