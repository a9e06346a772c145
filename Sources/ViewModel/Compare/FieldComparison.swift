import Engine
import Foundation

/// The field-level view of one key: each field of a connection (each extra key too), or a
/// variable's value, and whether the compared places agree on it. Secret fields show keyed
/// fingerprints unless revealed, so a difference can be seen without the value.
enum FieldComparison {
    struct Column: Sendable {
        var label: String
        var role: StyleRole
        var value: TierValue
    }

    struct FieldRow: Sendable, Equatable {
        var field: ValueField
        /// The field's text in each column (nil: not set there).
        var texts: [String?]
        var differs: Bool { Set(texts.map { $0 ?? "\u{0}unset" }).count > 1 }
    }

    static func rows(_ columns: [Column]) -> [FieldRow] {
        let values = columns.map(\.value)
        let connections = values.compactMap { value -> Connection? in
            if case .connection(let c) = value { return c } else { return nil }
        }
        guard connections.count == values.count, !connections.isEmpty else {
            return [FieldRow(field: .value, texts: values.map(text))]
        }
        var rows: [FieldRow] = [
            FieldRow(field: .connType, texts: connections.map(\.connType)),
            FieldRow(field: .host, texts: connections.map(\.host)),
            FieldRow(field: .login, texts: connections.map(\.login)),
            FieldRow(field: .password, texts: connections.map(\.password)),
            FieldRow(field: .schema, texts: connections.map(\.schema)),
            FieldRow(field: .port, texts: connections.map { $0.port.map(String.init) ?? $0.verbatim["port"].map { "\($0)" } }),
        ]
        let extras = connections.map { extraMembers($0.extra) }
        if extras.contains(where: { $0 == nil }) {
            rows.append(FieldRow(field: .extra, texts: connections.map(\.extra)))
        } else {
            let keys = Set(extras.flatMap { $0!.keys }).sorted()
            for key in keys { rows.append(FieldRow(field: .extraKey(key), texts: extras.map { $0?[key] })) }
        }
        return rows
    }

    /// One line per field: `password ≠ (backend #1a2b… vs env #9f8e…)` or `host = db.internal`.
    static func lines(_ columns: [Column], revealed: Bool) -> [StyledLine] {
        let rows = rows(columns)
        let nameWidth = min(24, (rows.map { DisplayWidth.of(InertText.make($0.field.description)) }.max() ?? 6) + 1)
        return rows.map { row in
            var line = StyledLine(DisplayWidth.pad(InertText.make(row.field.description), to: nameWidth), .label)
            let hidden = row.field.isSecret && !revealed
            if row.differs {
                line.add("≠ ", .markerDiffers)
                line.add("(", .text)
                for (index, column) in columns.enumerated() {
                    if index > 0 { line.add(" vs ", .muted) }
                    line.add(column.label + " ", column.role)
                    add(row.texts[index], hidden: hidden, to: &line)
                }
                line.add(")", .text)
            } else {
                line.add("= ", .markerShadowed)
                add(row.texts.first ?? nil, hidden: hidden, to: &line)
            }
            return line
        }
    }

    private static func add(_ text: String?, hidden: Bool, to line: inout StyledLine) {
        guard let text else { return line.add("unset", .muted) }
        if hidden {
            line.add(String(SecretFingerprint.of(text).prefix(5)) + "…", .masked)
        } else {
            line.add(InertText.make(text), hidden ? .masked : .value)
        }
    }

    private static func text(_ value: TierValue) -> String? {
        switch value {
        case .variable(let text): return text
        case .connection: return nil
        }
    }

    /// The extra's members as display text, or nil when the extra is not a JSON object.
    private static func extraMembers(_ text: String?) -> [String: String]? {
        guard let text, !text.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let dictionary = object as? [String: Any] else { return nil }
        return dictionary.mapValues { value in
            if let string = value as? String { return string }
            if JSONSerialization.isValidJSONObject([value]),
               let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]),
               let array = String(data: data, encoding: .utf8) {
                return String(array.dropFirst().dropLast())
            }
            return "\(value)"
        }
    }
}
