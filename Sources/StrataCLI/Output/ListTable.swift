import Engine

/// The human form of `strata list`.
enum ListTable {
    static func render(_ resolutions: [Resolution], state: DeploymentState, masking: Masking) -> String {
        var table = TextTable(header: ["KIND", "ID", "WINNER", "NOTES", "VALUE"])
        for resolution in resolutions {
            table.add([
                resolution.key.kind == .variable ? "VAR" : "CONN",
                resolution.key.id,
                resolution.winner?.rawValue ?? "—",
                notes(resolution),
                valueSummary(resolution, masking: masking),
            ])
        }
        var lines = [table.render()]
        lines.append("")
        lines.append(tierSummary(state, masking: masking))
        return lines.joined(separator: "\n")
    }

    static func notes(_ resolution: Resolution) -> String {
        var notes: [String] = []
        let shadowed = resolution.shadowed.count
        if shadowed > 0 { notes.append("shadows \(shadowed)") }
        if resolution.hasDifferences { notes.append("differs") }
        if !resolution.collisions.isEmpty { notes.append("collides with \(resolution.collisions.joined(separator: ","))") }
        if resolution.hasUnreadable { notes.append("unreadable tier") }
        if resolution.winner == nil { notes.append("no usable value") }
        return notes.joined(separator: " · ")
    }

    static func valueSummary(_ resolution: Resolution, masking: Masking) -> String {
        switch resolution.value {
        case .variable(let text)?: return masking.variable(text)
        case .connection(let connection)?:
            let shown = masking.connection(connection)
            var parts = [shown.connType ?? "?"]
            if let host = shown.host, !host.isEmpty { parts.append(host) }
            if let port = shown.port { parts.append(":\(port)") }
            return parts.joined(separator: " ")
        case nil: return ""
        }
    }

    static func tierSummary(_ state: DeploymentState, masking: Masking = .masked) -> String {
        let parts = state.chain.map { id -> String in
            let label = InertText.make(state.descriptors[id]?.label ?? id.rawValue)
            switch state.tiers[id] {
            case .loaded(let tier)?:
                return "\(id.rawValue) (\(label)): ok, \(tier.snapshot.records.count) items"
            case .failed(let reason)?:
                return "\(id.rawValue) (\(label)): FAILED — \(InertText.make(masking.failureReason(reason, of: id, in: state)))"
            case .unavailable(let reason)?:
                return "\(id.rawValue): \(InertText.make(reason))"
            case .loading?, nil:
                return "\(id.rawValue): loading"
            }
        }
        return "tiers in lookup order: " + parts.joined(separator: " → ")
    }
}
