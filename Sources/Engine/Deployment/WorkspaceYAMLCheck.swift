import Foundation
import PythonCompat

/// Checks a workspace file before Yams composes it, with Strata's own composer (which shares
/// aliased nodes): a document whose aliases expand it beyond `YAMLExpansion.nodeLimit` nodes,
/// and a key repeated within one mapping, are refused with the lines involved. Yams would
/// expand the first while checking keys, and reports the second with no line.
enum WorkspaceYAMLCheck {
    /// Checks `text`; returns its flat document when it is in the plain block style most
    /// workspace files use (no aliases possible), checked with no node objects — a workspace
    /// may be huge — and `nil` when Yams is to read it.
    @discardableResult
    static func check(_ text: String, path: String) throws -> YAMLBlockDocument? {
        let flat = try text.withSharedUTF8 { bytes -> YAMLBlockDocument? in
            guard let document = YAMLBlockComposer.composeDocument(bytes) else { return nil }
            try rejectDuplicateKeys(document, bytes: bytes, path: path)
            return document
        }
        if let flat { return flat }
        let root: YAMLNode?
        do {
            root = try YAMLComposer.composeSingleDocument(text)
        } catch let error as YAMLExpansionError {
            throw WorkspaceError(path: path, line: nil, problem: error.problem, fix: error.fix)
        } catch {
            return nil // a syntax error: Yams reports it, with its line
        }
        guard let root else { return nil }
        try rejectDuplicateKeys(root, path: path)
        return nil
    }

    /// Every mapping, each walked once (an aliased one is the same node), keys compared by text.
    private static func rejectDuplicateKeys(_ root: YAMLNode, path: String) throws {
        var pending = [root]
        var seen: Set<ObjectIdentifier> = []
        while let node = pending.popLast() {
            if node.isAnchored, !seen.insert(ObjectIdentifier(node)).inserted { continue }
            switch node.kind {
            case .scalar:
                continue
            case .sequence:
                pending.append(contentsOf: node.items)
            case .mapping:
                var lines: [String: [Int]] = [:]
                var order: [String] = []
                for (key, value) in node.pairs {
                    pending.append(value)
                    guard key.kind == .scalar else { pending.append(key); continue }
                    if lines[key.value] == nil { order.append(key.value) }
                    lines[key.value, default: []].append(key.mark.line + 1)
                }
                if let repeated = order.first(where: { lines[$0]!.count > 1 }), let at = lines[repeated] {
                    throw duplicate(repeated, lines: at, path: path)
                }
            }
        }
    }

    private static func rejectDuplicateKeys(_ document: YAMLBlockDocument, bytes: UnsafeBufferPointer<UInt8>, path: String) throws {
        let nodes = document.nodes, children = document.children
        func key(_ position: Int) -> YAMLBlockDocument.Node { nodes[Int(children[position])] }
        func same(_ a: YAMLBlockDocument.Node, _ b: YAMLBlockDocument.Node) -> Bool {
            a.kind == .scalar && b.kind == .scalar && a.end - a.start == b.end - b.start
                && memcmp(bytes.baseAddress! + Int(a.start), bytes.baseAddress! + Int(b.start), Int(a.end - a.start)) == 0
        }
        for mapping in nodes where mapping.kind == .mapping {
            let first = Int(mapping.start), end = Int(mapping.end)
            var repeated: Int?
            if end - first <= 32 {
                // A handful of keys (a deployment's settings): compared pairwise.
                outer: for i in stride(from: first, to: end, by: 2) {
                    for j in stride(from: first, to: i, by: 2) where same(key(i), key(j)) { repeated = j; break outer }
                }
            } else {
                var index = ByteRangeIndex(capacity: (end - first) / 2)
                var positions: [Int] = []
                for i in stride(from: first, to: end, by: 2) {
                    let node = key(i)
                    guard node.kind == .scalar else { continue }
                    let (position, inserted) = index.insert(Int(node.start)..<Int(node.end), of: bytes)
                    if inserted { positions.append(i) } else { repeated = positions[position]; break }
                }
            }
            guard let repeated else { continue }
            let original = key(repeated)
            let lines = stride(from: first, to: end, by: 2).filter { same(key($0), original) }.map { Int(key($0).line) + 1 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(original.start)..<Int(original.end)]), as: UTF8.self)
            throw duplicate(name, lines: lines, path: path)
        }
    }

    private static func duplicate(_ name: String, lines: [Int], path: String) -> WorkspaceError {
        let distinct = Array(Set(lines)).sorted()
        let place = distinct.count == 1 ? "on line \(distinct[0])" : "on lines \(listing(distinct))"
        return WorkspaceError(path: path, line: lines[1],
                       problem: "the key '\(DotEnvFile.inert(name))' appears \(lines.count) times in the same mapping, \(place)",
                       fix: "keep one of them: a key may appear only once in a mapping")
    }

    /// [3, 9, 12] → "3, 9 and 12".
    private static func listing(_ lines: [Int]) -> String {
        let text = lines.map(String.init)
        return text.dropLast().joined(separator: ", ") + " and " + text.last!
    }
}
