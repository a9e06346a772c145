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
    /// key's line to the end of its last line, which `yamlConnection(row:…)` reads again.
    ///
    /// The common shape is what `YAMLBlockComposer` composes (plain block style, ASCII, no
    /// anchors, tags or flow collections) with a top-level mapping whose keys resolve to `str`,
    /// each once, and whose values are scalars (URIs) or mappings. Each value is constructed by
    /// PyYAML's constructor and made a connection by `_create_connection`, as the general path
    /// does; anything else — a list value, a duplicate or non-`str` key, a value the constructor
    /// or `_create_connection` refuses — declines, so every error and every unusual case still
    /// comes from the general path.
    static func fastYAMLConnectionRows(_ bytes: UnsafeBufferPointer<UInt8>, parserDialect: ConnectionDialect) -> LocalFileRows? {
        guard LocalFileRows.fit(bytes.count), let document = YAMLBlockComposer.composeDocument(bytes) else { return nil }
        let root = document.nodes[Int(document.root)]
        guard root.kind == .mapping else { return nil }
        let pairs = Int(root.end - root.start) / 2
        var rows = LocalFileRows(reservingCapacity: pairs)
        var keys = ByteRangeIndex(capacity: pairs)
        var i = Int(root.start)
        while i < Int(root.end) {
            let keyIndex = document.children[i]
            let valueIndex = document.children[i + 1]
            i += 2
            let keyNode = document.nodes[Int(keyIndex)]
            let valueNode = document.nodes[Int(valueIndex)]
            guard keyNode.kind == .scalar, valueNode.kind != .sequence else { return nil }
            let keyRange = Int(keyNode.start)..<Int(keyNode.end)
            let key = LocalFileRows.string(keyRange, bytes)
            if keyNode.isPlain, YAMLResolver.implicitTag(for: key) != YAMLResolver.strTag { return nil }
            guard keys.insert(keyRange, of: bytes).inserted else { return nil }
            let line = Int(keyNode.line) + 1
            guard (try? connection(key: key, value: document.node(valueIndex, bytes: bytes), parserDialect: parserDialect,
                                   line: line)) != nil else { return nil }
            let span = lineStart(before: keyRange.lowerBound, bytes)..<lineEnd(after: lastScalarEnd(document, valueIndex), bytes)
            rows.append(key: keyRange, value: span, line: line)
        }
        return rows
    }

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

    /// Where the last scalar under node `index` ends.
    private static func lastScalarEnd(_ document: YAMLBlockDocument, _ index: Int32) -> Int {
        var node = document.nodes[Int(index)]
        while node.kind != .scalar {
            // An empty collection cannot be written in block style, so there is a last child.
            guard node.end > node.start else { return Int(node.start) }
            node = document.nodes[Int(document.children[Int(node.end) - 1])]
        }
        return Int(node.end)
    }

    private static func lineStart(before offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = offset
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        return start
    }

    private static func lineEnd(after offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = offset
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return end
    }
}
