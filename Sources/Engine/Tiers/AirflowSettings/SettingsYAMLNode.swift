import Foundation
import PythonCompat

/// What `AirflowSettingsFile`'s reader needs of a composed YAML node, so that it reads libyaml's
/// `YAMLNode` tree and the block composer's flat document with the same code.
protocol SettingsYAMLNode {
    var kind: YAMLNode.Kind { get }
    /// 0-based line of the node's first character.
    var line: Int { get }
    /// A scalar's value.
    var value: String { get }
    /// Whether the scalar was written plain (Go's yaml.v3 types only those).
    var isPlain: Bool { get }
    /// Items of a sequence, pairs of a mapping.
    var count: Int { get }
    func item(_ index: Int) -> Self
    func key(_ index: Int) -> Self
    func pairValue(_ index: Int) -> Self
    /// Whether the scalar's value equals the lower-case `key`, ASCII letters in any case (viper).
    func valueMatches(_ key: String) -> Bool
    /// Whether two scalars have equal values (Swift string equality).
    func hasSameValue(as other: Self) -> Bool
}

extension YAMLNode: SettingsYAMLNode {
    var line: Int { mark.line }
    var count: Int { kind == .mapping ? pairs.count : items.count }
    func item(_ index: Int) -> YAMLNode { items[index] }
    func key(_ index: Int) -> YAMLNode { pairs[index].0 }
    func pairValue(_ index: Int) -> YAMLNode { pairs[index].1 }
    func valueMatches(_ key: String) -> Bool { AirflowSettingsFile.Reader<YAMLNode>.Map.matches(value, key) }
    func hasSameValue(as other: YAMLNode) -> Bool { value == other.value }
}

/// A node of a `YAMLBlockDocument`, read in place over the text's bytes. The block composer
/// only accepts printable ASCII, so comparing bytes is comparing strings.
struct YAMLBlockNodeRef: SettingsYAMLNode {
    let nodes: UnsafeBufferPointer<YAMLBlockDocument.Node>
    let children: UnsafeBufferPointer<Int32>
    let bytes: UnsafeBufferPointer<UInt8>
    let index: Int32

    private var flat: YAMLBlockDocument.Node { nodes[Int(index)] }
    private func child(_ position: Int) -> YAMLBlockNodeRef {
        YAMLBlockNodeRef(nodes: nodes, children: children, bytes: bytes, index: children[position])
    }

    var kind: YAMLNode.Kind { flat.kind }
    var line: Int { Int(flat.line) }
    var isPlain: Bool { flat.isPlain }

    var value: String {
        let flat = flat
        guard flat.kind == .scalar else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(flat.start)..<Int(flat.end)]), as: UTF8.self)
    }

    var count: Int {
        let flat = flat
        guard flat.kind != .scalar else { return 0 }
        let children = Int(flat.end - flat.start)
        return flat.kind == .mapping ? children / 2 : children
    }

    func item(_ index: Int) -> YAMLBlockNodeRef { child(Int(flat.start) + index) }
    func key(_ index: Int) -> YAMLBlockNodeRef { child(Int(flat.start) + 2 * index) }
    func pairValue(_ index: Int) -> YAMLBlockNodeRef { child(Int(flat.start) + 2 * index + 1) }

    func valueMatches(_ key: String) -> Bool {
        let flat = flat
        let length = Int(flat.end - flat.start)
        var key = key
        return key.withUTF8 { key in
            guard key.count == length else { return false }
            let start = Int(flat.start)
            for i in 0..<length {
                let a = bytes[start + i], b = key[i]
                guard a == b || (a >= 0x41 && a <= 0x5A && a + 0x20 == b) else { return false }
            }
            return true
        }
    }

    func hasSameValue(as other: YAMLBlockNodeRef) -> Bool {
        let a = flat, b = other.flat
        let length = Int(a.end - a.start)
        guard length == Int(b.end - b.start) else { return false }
        return length == 0 || memcmp(bytes.baseAddress! + Int(a.start), bytes.baseAddress! + Int(b.start), length) == 0
    }
}
