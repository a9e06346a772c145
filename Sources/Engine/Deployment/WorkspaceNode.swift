import PythonCompat
import Yams

/// A node of a workspace file, read the same way whichever composer built it: Strata's flat
/// block composer for the plain style nearly every workspace is written in (a huge `env:`
/// block then costs no node objects), Yams for everything else.
protocol WorkspaceNode {
    /// The 1-based line the node starts on.
    var line: Int? { get }
    /// A scalar's text; `nil` for a collection.
    var text: String? { get }
    /// A mapping's keys and values in file order; `nil` for anything else.
    var pairs: [(Self, Self)]? { get }
    /// A sequence's items; `nil` for anything else.
    var items: [Self]? { get }
    /// Calls `body` with each key and value of a mapping in file order, without building the
    /// list of pairs (an `env:` block may have a million); `false` when the node is not a mapping.
    func forEachPair(_ body: (Self, Self) throws -> Void) rethrows -> Bool
}

extension WorkspaceNode {
    func forEachPair(_ body: (Self, Self) throws -> Void) rethrows -> Bool {
        guard let pairs else { return false }
        for (key, value) in pairs { try body(key, value) }
        return true
    }
}

extension Node: WorkspaceNode {
    var line: Int? { mark?.line }
    var text: String? { scalar?.string }
    var pairs: [(Node, Node)]? { mapping.map { $0.map { ($0.key, $0.value) } } }
    var items: [Node]? { sequence.map { Array($0) } }
}

/// A node of a document composed by `YAMLBlockComposer`, read in place.
struct FlatWorkspaceNode: WorkspaceNode {
    /// The text and its flat document, shared by every node.
    final class Document: Sendable {
        let text: String
        let flat: YAMLBlockDocument

        init(text: String, flat: YAMLBlockDocument) {
            self.text = text
            self.flat = flat
        }

        var root: FlatWorkspaceNode { FlatWorkspaceNode(document: self, index: flat.root) }
    }

    let document: Document
    let index: Int32

    private var node: YAMLBlockDocument.Node { document.flat.nodes[Int(index)] }

    // The block composer's lines are 0-based, as PyYAML's marks are; Yams counts from 1.
    var line: Int? { Int(node.line) + 1 }

    var text: String? {
        let node = self.node
        guard node.kind == .scalar else { return nil }
        return document.text.withSharedUTF8 { LocalFileRows.string(Int(node.start)..<Int(node.end), $0) }
    }

    var pairs: [(FlatWorkspaceNode, FlatWorkspaceNode)]? {
        let node = self.node
        guard node.kind == .mapping else { return nil }
        let children = document.flat.children
        return stride(from: Int(node.start), to: Int(node.end), by: 2).map {
            (FlatWorkspaceNode(document: document, index: children[$0]), FlatWorkspaceNode(document: document, index: children[$0 + 1]))
        }
    }

    func forEachPair(_ body: (FlatWorkspaceNode, FlatWorkspaceNode) throws -> Void) rethrows -> Bool {
        let node = self.node
        guard node.kind == .mapping else { return false }
        let children = document.flat.children
        for i in stride(from: Int(node.start), to: Int(node.end), by: 2) {
            try body(FlatWorkspaceNode(document: document, index: children[i]), FlatWorkspaceNode(document: document, index: children[i + 1]))
        }
        return true
    }

    var items: [FlatWorkspaceNode]? {
        let node = self.node
        guard node.kind == .sequence else { return nil }
        return document.flat.children[Int(node.start)..<Int(node.end)].map { FlatWorkspaceNode(document: document, index: $0) }
    }
}
