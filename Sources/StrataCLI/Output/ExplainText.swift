import Engine

/// The human form of `strata explain`.
enum ExplainText {
    static func render(_ resolution: Resolution, deployment: Deployment, masking: Masking,
                       exactFailures: [TierID: String] = [:]) -> String {
        let kind = resolution.key.kind == .variable ? "variable" : "connection"
        var lines: [String] = []
        let id = InertText.make(resolution.key.id)
        let deploymentName = InertText.make(deployment.name)
        if let winning = resolution.winning {
            lines.append("\(kind) \(id) in \(deploymentName): supplied by \(winning.tier.rawValue) (\(winning.label))"
                + (winning.lookup?.name.map { " as \(InertText.make($0))" } ?? ""))
        } else {
            lines.append("\(kind) \(id) in \(deploymentName): no tier supplies a usable value — Airflow raises "
                + (resolution.key.kind == .variable ? "KeyError (server) / VARIABLE_NOT_FOUND (worker, triggerer)" : "AirflowNotFoundException"))
        }
        if let team = deployment.teamLookup.team {
            lines.append("  team \(team) ([core] multi_team): the environment and the AWS, GCP and Key Vault backends ask for the team's name "
                         + "(shown) before the global one, Vault reads <base>/\(team)/ only, and the metastore returns rows of this team or of none")
        }
        if !resolution.collisions.isEmpty {
            lines.append("  ! also answers for: \(resolution.collisions.map { InertText.make($0) }.joined(separator: ", ")) (same name in a case-insensitive tier)")
        }
        for tier in resolution.tiers {
            let name = tier.lookup?.name.map { InertText.make($0) } ?? "—"
            var line = "  \(pad(tier.tier.rawValue, 16)) \(pad(describe(tier, kind: resolution.key.kind), 22)) \(name)"
            if let reason = masking.reason(of: tier, exactFailures: exactFailures) {
                line += "\n  \(pad("", 16)) why: \(InertText.make(reason))"
            } else if case .absent = tier.state, let scope = tier.record?.metadataValue(forKey: "scope") {
                // Another team's metastore row (read directly or through the REST API).
                line += "\n  \(pad("", 16)) why: \(InertText.make(scope))"
            }
            lines.append(line)
        }
        let hidden = resolution.winning?.record?.hiddenFields ?? .none
        let hiddenText = "(hidden by the source)"
        switch resolution.value {
        case .variable(let text)?:
            lines.append("  value: \(hidden.hides("value") ? hiddenText : InertText.make(masking.variable(text)))")
        case .connection(let connection)?:
            let shown = masking.connection(connection.blankingHidden(hidden))
            for (field, value) in [("conn_type", shown.connType), ("host", shown.host), ("login", shown.login),
                                   ("password", shown.password), ("schema", shown.schema),
                                   ("port", shown.port.map(String.init)), ("extra", shown.extra)] {
                let text = hidden.hides(field) ? hiddenText : value.map { InertText.make($0) } ?? "None"
                lines.append("  \(pad(field, 10)) \(text)")
            }
        case nil:
            break
        }
        if !hidden.isEmpty {
            lines.append("  note: \(resolution.winning?.label ?? "the source") hides \(hidden.names.map { InertText.make($0) }.joined(separator: ", ")): "
                         + "shown as hidden, never compared, copied or written back")
        }
        if let cache = SecretsCache.configured(in: deployment.environment) {
            lines.append("  note: " + cache.note(for: resolution.key.kind))
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ tier: TierResolution, kind: SecretKind) -> String {
        switch tier.comparison {
        case .winner: return "WINNER"
        case .same: return "shadowed (same value)"
        case .differs: return "shadowed (DIFFERS)"
        case .cannotTell: return "shadowed (cannot tell: the source hides a field)"
        case .none:
            switch tier.state {
            case .empty: return kind == .connection ? "empty (a miss)" : "empty"
            case .absent: return "absent"
            case .unreadable: return "unreadable"
            case .skipped: return "not asked"
            case .loading: return "loading"
            case .unavailable: return "unavailable"
            case .notConfigured: return "not configured"
            case .present: return "present"
            }
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
    }
}
