import Foundation

extension LocalFilesystemFile {
    /// The entries of a YAML variables file in the common shape, read straight from the flat
    /// document `YAMLBlockComposer` composes, or `nil` when anything in the file is unusual.
    ///
    /// The common shape is a block mapping at the top level whose keys and values are all
    /// single-line scalars the block composer takes (plain, or quoted without escapes; ASCII
    /// only, no tabs, CRs, trailing comments, anchors, tags, flow collections, block scalars or
    /// document markers — it declines on all of those), whose keys resolve to `str`. Values get
    /// PyYAML's implicit type by the same resolver and constructor the general path uses.
    /// Duplicate keys behave as in a Python dict: the entry keeps the first key's position and
    /// takes the last value, with the last occurrence's line (as the general path records it).
    /// For such a file the result is exactly what `parseYAML` gives, without building `YAMLNode`
    /// trees, `PythonDict`s or the key-line dictionary. Anything else — a nested collection, a
    /// non-`str` key, a value the constructor refuses (`=`, an impossible date) — declines, so
    /// every error and every unusual case still comes from the general path.
    static func fastYAMLEntries(_ text: String) -> [Entry]? {
        var text = text
        return text.withUTF8 { bytes -> [Entry]? in
            guard let document = YAMLBlockComposer.composeDocument(bytes) else { return nil }
            return fastEntries(document, bytes: bytes)
        }
    }

    private static func fastEntries(_ document: YAMLBlockDocument, bytes: UnsafeBufferPointer<UInt8>) -> [Entry]? {
        let root = document.nodes[Int(document.root)]
        guard root.kind == .mapping else { return nil }
        let pairs = Int(root.end - root.start) / 2
        var entries: [Entry] = []
        entries.reserveCapacity(pairs)
        var keys = ByteRangeIndex(capacity: pairs)
        var i = Int(root.start)
        while i < Int(root.end) {
            let keyNode = document.nodes[Int(document.children[i])]
            let valueNode = document.nodes[Int(document.children[i + 1])]
            i += 2
            guard keyNode.kind == .scalar, valueNode.kind == .scalar else { return nil }
            let keyRange = Int(keyNode.start)..<Int(keyNode.end)
            let keyText = string(keyRange, bytes)
            if keyNode.isPlain, YAMLResolver.implicitTag(for: keyText) != YAMLResolver.strTag { return nil }
            guard let value = scalarValue(valueNode, bytes) else { return nil }
            // PyYAML's marks are 0-based; entries carry 1-based lines.
            let line = Int(keyNode.line) + 1
            let existing = keys.insert(keyRange, of: bytes, index: entries.count)
            if let existing {
                entries[existing].value = value
                entries[existing].line = line
            } else {
                entries.append(Entry(key: .string(keyText), value: value, line: line))
            }
        }
        return entries
    }

    /// A scalar's Python value as `YAMLConstructor` builds it, or `nil` when the constructor
    /// raises (the general path then raises the same error).
    private static func scalarValue(_ node: YAMLBlockDocument.Node, _ bytes: UnsafeBufferPointer<UInt8>) -> PythonValue? {
        let text = string(Int(node.start)..<Int(node.end), bytes)
        guard node.isPlain else { return .string(text) }
        let tag = YAMLResolver.implicitTag(for: text)
        if tag == YAMLResolver.strTag { return .string(text) }
        // The rare typed value goes through the constructor itself, on the node libyaml's path
        // would build.
        let scalar = YAMLNode(kind: .scalar, tag: tag, mark: YAMLMark(line: Int(node.line), column: Int(node.column)))
        scalar.value = text
        scalar.isPlain = true
        var constructor = YAMLConstructor()
        return try? constructor.construct(scalar)
    }

    private static func string(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// An open-addressing table from the bytes of a key to the index of its entry, so duplicate
/// keys are found without hashing Swift strings.
private struct ByteRangeIndex {
    /// Slots holding an entry index plus one; 0 is empty.
    private var slots: [Int32]
    private var ranges: [Range<Int>] = []

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        ranges.reserveCapacity(capacity)
    }

    /// Records `range` as the key of entry `index` (the next entry) and returns `nil`, or
    /// returns the index of the entry already holding the same bytes.
    mutating func insert(_ range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, index: Int) -> Int? {
        if (ranges.count + 1) * 2 > slots.count { grow(bytes) }
        let base = bytes.baseAddress!
        let mask = slots.count - 1
        var slot = Self.hash(range, bytes) & mask
        while slots[slot] != 0 {
            let existing = Int(slots[slot]) - 1
            let other = ranges[existing]
            if other.count == range.count, memcmp(base + other.lowerBound, base + range.lowerBound, range.count) == 0 {
                return existing
            }
            slot = (slot + 1) & mask
        }
        precondition(index == ranges.count)
        ranges.append(range)
        slots[slot] = Int32(ranges.count)
        return nil
    }

    private mutating func grow(_ bytes: UnsafeBufferPointer<UInt8>) {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, range) in ranges.enumerated() {
            var slot = Self.hash(range, bytes) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    private static func hash(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF29CE484222325
        for k in range {
            hash = (hash ^ UInt64(bytes[k])) &* 0x100000001B3
        }
        // Fold the high bits in: the table only looks at the low ones.
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
