import Engine
import PythonCompat

/// The Detail pane's lines for one entry: who supplied the value, under which name, every
/// other tier's state, and the value itself (masked unless revealed).
enum DetailContent {
    static func lines(for entry: Entry, state: AppState, width: Int) -> [StyledLine] {
        unwrappedLines(for: entry, state: state).flatMap { $0.wrapped(width: width - 1, indent: 13) }
    }

    private static func unwrappedLines(for entry: Entry, state: AppState) -> [StyledLine] {
        let resolution = entry.resolution
        let key = resolution.key
        let reveal = state.isRevealed(key)
        var lines: [StyledLine] = []
        lines.append(.field("kind", key.kind == .variable ? "variable" : "connection",
                            key.kind == .variable ? .kindVariable : .kindConnection))
        if let winning = resolution.winning {
            var line = StyledLine.field("supplied by", winning.tier.shortName, winning.tier.role)
            if winning.label != winning.tier.shortName { line.add(" (" + InertText.make(winning.label) + ")", .muted) }
            lines.append(line)
            lines.append(.field("looked up as", InertText.make(winning.lookup?.name ?? "?"), .value))
        } else {
            lines.append(.field("supplied by", "no tier: Airflow would not find it", .error))
        }
        let loading = resolution.tiers.contains { $0.state == .loading }
        if loading { lines.append(.field("", "some tiers are still loading", .loading)) }

        lines.append(StyledLine())
        lines.append(StyledLine("tiers, in lookup order", .muted))
        for tier in resolution.tiers {
            var summary = tier.state.summary(comparison: tier.comparison, kind: key.kind)
            // Revealed (x): the exact reason, as Airflow's error quoted the stored value.
            if reveal, case .unreadable = tier.state, let exact = tier.record?.exactReason {
                summary.text = "unreadable: " + InertText.make(exact)
            }
            var line = StyledLine(DisplayWidth.pad(tier.tier.shortName, to: 13), tier.tier.role)
            line.add(summary.text, summary.role)
            lines.append(line)
            if let name = tier.lookup?.name, tier.comparison != .winner {
                lines.append(.field("", "as " + InertText.make(name), .muted))
            }
        }
        lines.append(StyledLine())
        lines.append(contentsOf: valueLines(resolution, reveal: reveal, formats: state.formats,
                                            version: state.activeDeploymentValue?.airflowVersion ?? .v3))
        if let alteration = resolution.winning?.record?.sourceAlteration, !alteration.isNone {
            lines.append(contentsOf: alterationLines(alteration))
        }

        if !resolution.collisions.isEmpty {
            lines.append(StyledLine())
            var line = StyledLine.field("collides", resolution.collisions.map(InertText.make).joined(separator: ", "),
                                        .markerCollision)
            line.add("  (same name in a tier: one id answers for the other)", .muted)
            lines.append(line)
        }
        if let record = resolution.winning?.record, !record.metadata.isEmpty {
            lines.append(StyledLine())
            lines.append(StyledLine("stored", .helpSection))
            let shownElsewhere: Set<String> = [HiddenFields.metadataKey, SourceAlteration.reserializedKey]
            for name in record.metadata.keys.sorted() where !shownElsewhere.contains(name) {
                lines.append(.field(InertText.make(name), InertText.make(record.metadata[name] ?? ""), .value))
            }
        }
        return lines
    }

    private static func valueLines(_ resolution: Resolution, reveal: Bool, formats: ConnectionFormats,
                                   version: AirflowVersion) -> [StyledLine] {
        guard let value = resolution.value else {
            return [.field("value", "none", .muted)]
        }
        switch value {
        case .variable(let text):
            if resolution.winning?.record?.hiddenFields.hides("value") == true {
                return [.field("value", "hidden by the source", .muted)]
            }
            if !reveal { return [.field("value", Masked.placeholder + "  (x reveals)", .masked)] }
            let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
            var lines: [StyledLine] = []
            for (index, part) in parts.enumerated() {
                lines.append(.field(index == 0 ? "value" : "", InertText.make(String(part)), .revealed))
            }
            if text.isEmpty { lines = [.field("value", "\"\" (empty string)", .revealed)] }
            return lines
        case .connection(let connection):
            return connectionLines(connection, reveal: reveal, hidden: resolution.winning?.record?.hiddenFields ?? .none)
        }
    }

    /// What the source hid or re-serialised, in words.
    private static func alterationLines(_ alteration: SourceAlteration) -> [StyledLine] {
        var lines: [StyledLine] = []
        if !alteration.hidden.isEmpty {
            lines.append(.field("hidden", alteration.hidden.names.map(InertText.make).joined(separator: ", "), .warning))
            lines.append(.field("", "masked by the source: never compared, copied or written back", .muted))
        }
        if alteration.reserializedJSON {
            lines.append(.field("note", "the REST API re-serialises JSON values; the stored text may differ in spacing", .muted))
        }
        return lines
    }

    private static func connectionLines(_ c: Connection, reveal: Bool, hidden: HiddenFields) -> [StyledLine] {
        func text(_ field: String, _ value: String?) -> (String, StyleRole) {
            if let verbatim = c.verbatim[field] { return (InertText.make(verbatim.displayText), .value) }
            guard let value else { return ("None", .muted) }
            return (value.isEmpty ? "\"\"" : InertText.make(value), .value)
        }
        var lines: [StyledLine] = []
        for (label, field, value) in [("type", "conn_type", c.connType), ("host", "host", c.host),
                                      ("login", "login", c.login)] {
            let (shown, role) = text(field, value)
            lines.append(.field(label, shown, role))
        }
        if hidden.hides("password") {
            lines.append(.field("password", "hidden by the source", .muted))
        } else if c.password == nil && c.verbatim["password"] == nil {
            lines.append(.field("password", "None", .muted))
        } else if reveal {
            let (shown, _) = text("password", c.password)
            lines.append(.field("password", shown, .revealed))
        } else {
            lines.append(.field("password", Masked.placeholder + "  (x reveals)", .masked))
        }
        let (schema, schemaRole) = text("schema", c.schema)
        lines.append(.field("schema", schema, schemaRole))
        let (port, portRole) = text("port", c.port.map(String.init))
        lines.append(.field("port", port, portRole))
        if let extra = c.extra, !extra.isEmpty, c.verbatim["extra"] == nil {
            if let pretty = ExtraDisplay.lines(extra, reveal: reveal) {
                for (index, line) in pretty.enumerated() {
                    lines.append(.field(index == 0 ? "extra" : "", line, line.contains(Masked.placeholder) ? .masked : .value))
                }
            } else {
                lines.append(.field("extra", reveal ? InertText.make(extra) : Masked.placeholder, reveal ? .revealed : .masked))
                lines.append(.field("", "(not valid JSON; Airflow keeps it as text)", .warning))
            }
        } else if let verbatim = c.verbatim["extra"] {
            lines.append(.field("extra", reveal ? InertText.make(verbatim.displayText) : Masked.placeholder,
                                reveal ? .revealed : .masked))
        } else {
            lines.append(.field("extra", c.extra == nil ? "None" : "\"\"", .muted))
        }
        if let description = c.description, !description.isEmpty {
            lines.append(.field("description", InertText.make(description), .value))
        }
        return lines
    }
}

extension JSONValue {
    /// Compact JSON-like text for a verbatim field.
    var displayText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let text): return text
        case .float(let d): return "\(d)"
        case .string(let s): return "\"" + s + "\""
        case .array(let items): return "[" + items.map(\.displayText).joined(separator: ", ") + "]"
        case .object(let object): return "{" + object.map { "\"\($0.key)\": \($0.value.displayText)" }.joined(separator: ", ") + "}"
        }
    }
}
