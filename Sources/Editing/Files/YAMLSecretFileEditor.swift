import Engine
import Foundation
import PythonCompat

/// Edits one top-level key of a YAML secrets file (a block mapping) in place: the lines of its
/// block are replaced or removed, a new key is added after the last one; comments and every
/// other block stay byte for byte.
enum YAMLSecretFileEditor {
    /// What a key holds, as YAML text.
    enum Value {
        /// One scalar on the key's line.
        case scalar(String)
        /// A block mapping of `field: scalar` lines.
        case mapping([(String, String)])
    }

    static func set(_ name: String, _ value: Value, in text: String, file: URL) throws -> String {
        guard !text.isEmpty else { return render(name, value, unit: 2).joined(separator: "\n") + "\n" }
        var (lines, blocks) = try layout(text, file: file)
        let rendered = render(name, value, unit: lines.indentUnit(below: 0))
        if let block = blocks.last(where: { $0.key == name }) {
            lines.replace(block.lines, with: rendered)
        } else {
            lines.insert(rendered, after: blocks.last?.lines.upperBound ?? lines.lastContentLine)
        }
        return lines.text
    }

    static func remove(_ name: String, from text: String, file: URL) throws -> String {
        guard !text.isEmpty else { return text }
        var (lines, blocks) = try layout(text, file: file)
        for block in blocks.reversed() where block.key == name {
            lines.remove(block.lines)
        }
        return lines.text
    }

    static func render(_ name: String, _ value: Value, unit: Int) -> [String] {
        let key = YAMLText.scalar(name)
        switch value {
        case .scalar(let scalar):
            return ["\(key): \(scalar)"]
        case .mapping(let fields):
            let indent = String(repeating: " ", count: max(unit, 1))
            return ["\(key):"] + fields.map { "\(indent)\($0.0): \($0.1)" }
        }
    }

    /// A top-level key (as a string; other keys never match) and the lines of its block.
    struct Block {
        var key: String?
        var lines: ClosedRange<Int>
    }

    /// The file's lines and the blocks of its top-level keys; throws `.unsupported` for layouts
    /// Strata does not edit in place (flow style, complex keys, unusual line breaks).
    static func layout(_ text: String, file: URL) throws -> (YAMLLines, [Block]) {
        func unsupported(_ why: String) -> EditError {
            EditError(.unsupported, "\(file.path): \(why), which Strata does not edit in place; edit the file by hand.")
        }
        guard let lines = YAMLLines(text) else { throw unsupported("it breaks lines with CR, NEL or a Unicode separator") }
        let root: YAMLNode?
        do {
            root = try YAMLComposer.composeSingleDocument(text)
        } catch {
            throw EditError(.failed, "\(file.path) is not valid YAML; fix it first")
        }
        guard let root else { return (lines, []) }
        guard root.kind == .mapping else { throw unsupported("its top level is not a mapping") }
        let rootLine = lines.lines[root.mark.line]
        let rootText = rootLine.unicodeScalars.dropFirst(root.mark.column)
        if rootText.first == "{" { throw unsupported("its top-level mapping is in flow style ({…})") }
        var blocks: [Block] = []
        for (index, (key, _)) in root.pairs.enumerated() {
            guard key.mark.column == 0 else { throw unsupported("a top-level key does not start its line") }
            let start = key.mark.line
            let limit = index + 1 < root.pairs.count ? root.pairs[index + 1].0.mark.line : lines.lines.count
            guard limit > start else { throw unsupported("two top-level keys share a line") }
            let end = lines.blockEnd(from: start, before: limit, column: 0)
            let name = key.kind == .scalar && key.tag == YAMLComposer.defaultScalarTag ? key.value : nil
            blocks.append(Block(key: name, lines: start...end))
        }
        return (lines, blocks)
    }
}
