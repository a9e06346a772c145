import Engine
import Foundation
import PythonCompat

/// Edits the `airflow: connections:` / `airflow: variables:` lists of an Astro project's
/// `airflow_settings.yaml` in place: one entry's lines replaced or removed, a new entry added
/// after the last one of its list; comments, pools and every other entry stay byte for byte.
struct AirflowSettingsEditor {
    enum Section: String {
        case connections, variables

        /// The field that names an entry.
        var idField: String { self == .connections ? "conn_id" : "variable_name" }
    }

    /// One list entry and the lines it spans.
    struct Item {
        var id: String?
        var lines: ClosedRange<Int>
        /// Column of its `-`.
        var dashColumn: Int
        /// Column of its keys.
        var keyColumn: Int
    }

    private(set) var lines: YAMLLines
    let file: URL

    init(_ text: String, file: URL) throws {
        guard let lines = YAMLLines(text.isEmpty ? "" : text) else {
            throw EditError(.unsupported, "\(file.path): it breaks lines with CR, NEL or a Unicode separator, which Strata does not edit in place; edit it by hand.")
        }
        self.lines = lines
        self.file = file
    }

    var text: String { lines.text }

    private func unsupported(_ why: String) -> EditError {
        EditError(.unsupported, "\(file.path): \(why), which Strata does not edit in place; edit the file by hand.")
    }

    /// Where the section's entries are, after parsing the current text.
    private struct Layout {
        var airflowKeyLine: Int?
        var airflowColumn = 0
        /// The line after which a missing section is added, and its column.
        var sectionInsertAfter = -1
        var sectionColumn = 2
        /// The section key's line when the section exists but holds no list.
        var emptySectionLine: Int?
        var items: [Item] = []
    }

    private func layout(_ section: Section) throws -> Layout {
        let root: YAMLNode?
        do {
            root = try YAMLComposer.composeSingleDocument(lines.text)
        } catch {
            throw EditError(.failed, "\(file.path) is not valid YAML; fix it first")
        }
        var layout = Layout()
        guard let root else { return layout }
        guard root.kind == .mapping, !isFlow(root) else { throw unsupported("its top level is not a block mapping") }
        guard let airflowIndex = root.pairs.firstIndex(where: { $0.0.kind == .scalar && $0.0.value.lowercased() == "airflow" }) else {
            return layout
        }
        let (airflowKey, airflow) = root.pairs[airflowIndex]
        layout.airflowKeyLine = airflowKey.mark.line
        layout.airflowColumn = airflowKey.mark.column
        let airflowLimit = airflowIndex + 1 < root.pairs.count ? root.pairs[airflowIndex + 1].0.mark.line : lines.lines.count
        layout.sectionInsertAfter = lines.blockEnd(from: airflowKey.mark.line, before: airflowLimit, column: airflowKey.mark.column)
        layout.sectionColumn = airflowKey.mark.column + lines.indentUnit(below: airflowKey.mark.column)
        if airflow.kind == .scalar {
            guard airflow.isPlain, airflow.value.isEmpty || GoYAML.plainScalarKind(airflow.value) == .null else {
                throw unsupported("`airflow` is not a mapping")
            }
            return layout
        }
        guard airflow.kind == .mapping, !isFlow(airflow) else { throw unsupported("`airflow` is not a block mapping") }
        if let first = airflow.pairs.first { layout.sectionColumn = first.0.mark.column }
        guard let sectionIndex = airflow.pairs.firstIndex(where: { $0.0.kind == .scalar && $0.0.value.lowercased() == section.rawValue }) else {
            return layout
        }
        let (sectionKey, list) = airflow.pairs[sectionIndex]
        let sectionLimit = sectionIndex + 1 < airflow.pairs.count ? airflow.pairs[sectionIndex + 1].0.mark.line : airflowLimit
        if list.kind == .scalar, list.isPlain, list.value.isEmpty || GoYAML.plainScalarKind(list.value) == .null {
            guard list.value.isEmpty else { throw unsupported("`\(section.rawValue)` is written as null") }
            layout.emptySectionLine = sectionKey.mark.line
            layout.sectionColumn = sectionKey.mark.column
            return layout
        }
        guard list.kind == .sequence, !isFlow(list) else { throw unsupported("`\(section.rawValue)` is not a block list (- entries)") }
        for (index, item) in list.items.enumerated() {
            let start = item.mark.line
            let limit = index + 1 < list.items.count ? list.items[index + 1].mark.line : sectionLimit
            let line = Array(lines.lines[start].unicodeScalars)
            guard let dash = (0..<min(item.mark.column, line.count)).last(where: { line[$0] == "-" }),
                  line[..<dash].allSatisfy({ $0 == " " }), limit > start else {
                throw unsupported("an entry of `\(section.rawValue)` does not start with '- ' on its own line")
            }
            var id: String?
            if item.kind == .mapping {
                if let pair = item.pairs.last(where: { $0.0.kind == .scalar && $0.0.value.lowercased() == section.idField }),
                   pair.1.kind == .scalar {
                    id = pair.1.value
                }
            }
            let end = lines.blockEnd(from: start, before: limit, column: dash)
            layout.items.append(Item(id: id, lines: start...end, dashColumn: dash,
                                     keyColumn: item.kind == .mapping ? item.mark.column : dash + 2))
        }
        return layout
    }

    private func isFlow(_ node: YAMLNode) -> Bool {
        let line = lines.lines[node.mark.line].unicodeScalars
        let rest = line.dropFirst(node.mark.column)
        return rest.first == "{" || rest.first == "["
    }

    /// The ids of the section's entries, in file order.
    func ids(_ section: Section) throws -> [String?] { try layout(section).items.map(\.id) }

    /// Replaces the entry `id` (the one that wins: the first connection, the last variable), or
    /// adds it at the end of the list. `fields` are `(key, YAML scalar)` pairs, the id first.
    mutating func set(_ section: Section, id: String, fields: [(String, String)]) throws {
        let layout = try layout(section)
        let matching = layout.items.filter { $0.id == id }
        if let item = section == .connections ? matching.first : matching.last {
            lines.replace(item.lines, with: render(fields, dash: item.dashColumn, keys: item.keyColumn))
        } else if let last = layout.items.last {
            lines.insert(render(fields, dash: last.dashColumn, keys: last.keyColumn), after: last.lines.upperBound)
        } else if let line = layout.emptySectionLine {
            let dash = layout.sectionColumn + 2
            lines.insert(render(fields, dash: dash, keys: dash + 2), after: line)
        } else if layout.airflowKeyLine != nil {
            let column = layout.sectionColumn
            let header = String(repeating: " ", count: column) + section.rawValue + ":"
            lines.insert([header] + render(fields, dash: column + 2, keys: column + 4), after: layout.sectionInsertAfter)
        } else {
            lines.insert(["airflow:", "  \(section.rawValue):"] + render(fields, dash: 4, keys: 6), after: lines.lastContentLine)
        }
    }

    /// Removes every entry `id` of the section.
    mutating func remove(_ section: Section, id: String) throws {
        let layout = try layout(section)
        for item in layout.items.reversed() where item.id == id {
            lines.remove(item.lines)
        }
    }

    private func render(_ fields: [(String, String)], dash: Int, keys: Int) -> [String] {
        fields.enumerated().map { index, field in
            let lead = index == 0
                ? String(repeating: " ", count: dash) + "-" + String(repeating: " ", count: max(1, keys - dash - 1))
                : String(repeating: " ", count: keys)
            return lead + field.0 + ": " + field.1
        }
    }
}
