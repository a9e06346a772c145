import Foundation
import PythonCompat

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
        text.withSharedUTF8 { bytes in fastYAMLRows(bytes).map { entries(of: $0, format: .yaml, bytes) } }
    }

    /// `fastYAMLEntries` as rows of offsets: a plain value is flagged (its type is resolved
    /// when it is read, as `yamlVariableValue` does); a quoted one is its bytes. Lines are 1-based.
    static func fastYAMLRows(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalFileRows? {
        guard LocalFileRows.fit(bytes.count), let document = YAMLBlockComposer.composeDocument(bytes) else { return nil }
        let root = document.nodes[Int(document.root)]
        guard root.kind == .mapping else { return nil }
        let pairs = Int(root.end - root.start) / 2
        var rows = LocalFileRows(reservingCapacity: pairs)
        var keys = ByteRangeIndex(capacity: pairs)
        var i = Int(root.start)
        while i < Int(root.end) {
            let keyNode = document.nodes[Int(document.children[i])]
            let valueNode = document.nodes[Int(document.children[i + 1])]
            i += 2
            guard keyNode.kind == .scalar, valueNode.kind == .scalar else { return nil }
            let keyRange = Int(keyNode.start)..<Int(keyNode.end)
            if keyNode.isPlain, YAMLResolver.implicitTag(for: string(keyRange, bytes)) != YAMLResolver.strTag { return nil }
            let valueRange = Int(valueNode.start)..<Int(valueNode.end)
            // A value the constructor refuses is the general path's to report.
            if valueNode.isPlain, scalarValue(valueRange, isPlain: true, line: Int(valueNode.line), bytes) == nil { return nil }
            // PyYAML's marks are 0-based; entries carry 1-based lines.
            let line = Int(keyNode.line) + 1
            let (position, inserted) = keys.insert(keyRange, of: bytes)
            if inserted {
                rows.append(key: keyRange, value: valueRange, line: line, flagged: valueNode.isPlain)
            } else {
                // As in a Python dict: the first key's position, the last value.
                rows.replaceValue(of: position, with: valueRange, line: line, flagged: valueNode.isPlain)
            }
        }
        return rows
    }

    /// The value of row `row` of `fastYAMLRows`, typed as PyYAML types it.
    static func yamlVariableValue(_ rows: LocalFileRows, _ row: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> PythonValue? {
        let entry = rows[row]
        return scalarValue(entry.valueRange, isPlain: rows.isFlagged(row), line: Int(entry.line) - 1, bytes)
    }

    /// A scalar's Python value as `YAMLConstructor` builds it, or `nil` when the constructor
    /// raises (the general path then raises the same error).
    private static func scalarValue(_ range: Range<Int>, isPlain: Bool, line: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> PythonValue? {
        let text = string(range, bytes)
        guard isPlain else { return .string(text) }
        let tag = YAMLResolver.implicitTag(for: text)
        if tag == YAMLResolver.strTag { return .string(text) }
        // The rare typed value goes through the constructor itself, on the node libyaml's path
        // would build.
        let scalar = YAMLNode(kind: .scalar, tag: tag, mark: YAMLMark(line: line, column: 0))
        scalar.value = text
        scalar.isPlain = true
        var constructor = YAMLConstructor()
        return try? constructor.construct(scalar)
    }

    private static func string(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        LocalFileRows.string(range, bytes)
    }
}
