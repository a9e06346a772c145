/// A document `YAMLBlockComposer` composed, held flat: one small value per node and the
/// children of each collection in one shared list, scalars as byte ranges of the text.
/// `node(bytes:)` builds the `YAMLNode` tree libyaml's path would build; readers that need only
/// some values (`airflow_settings.yaml`) read the flat form and skip that tree.
package struct YAMLBlockDocument {
    package struct Node {
        package var kind: YAMLNode.Kind
        /// Scalars: written plain (not quoted).
        package var isPlain: Bool
        package var line: Int32
        package var column: Int32
        /// Scalars: the value's bytes in the text. Collections: their run in `children`
        /// (items, or key and value alternately).
        package var start: Int32
        package var end: Int32
    }

    package var nodes: [Node]
    package var children: [Int32]
    package var root: Int32

    /// The root as a `YAMLNode` tree, exactly as `YAMLComposer` builds it from libyaml.
    package func node(bytes: UnsafeBufferPointer<UInt8>) -> YAMLNode {
        node(root, bytes: bytes)
    }

    /// Node `index` and everything below it as a `YAMLNode` tree.
    package func node(_ index: Int32, bytes: UnsafeBufferPointer<UInt8>) -> YAMLNode {
        let flat = nodes[Int(index)]
        let mark = YAMLMark(line: Int(flat.line), column: Int(flat.column))
        switch flat.kind {
        case .scalar:
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(flat.start)..<Int(flat.end)]), as: UTF8.self)
            let node = YAMLNode(kind: .scalar, tag: flat.isPlain ? YAMLResolver.implicitTag(for: value) : YAMLComposer.defaultScalarTag,
                                mark: mark)
            node.value = value
            node.isPlain = flat.isPlain
            return node
        case .sequence:
            let node = YAMLNode(kind: .sequence, tag: YAMLComposer.defaultSequenceTag, mark: mark)
            node.items.reserveCapacity(Int(flat.end - flat.start))
            for child in children[Int(flat.start)..<Int(flat.end)] { node.items.append(self.node(child, bytes: bytes)) }
            return node
        case .mapping:
            let node = YAMLNode(kind: .mapping, tag: YAMLComposer.defaultMappingTag, mark: mark)
            node.pairs.reserveCapacity(Int(flat.end - flat.start) / 2)
            var i = Int(flat.start)
            while i < Int(flat.end) {
                node.pairs.append((self.node(children[i], bytes: bytes), self.node(children[i + 1], bytes: bytes)))
                i += 2
            }
            return node
        }
    }
}
