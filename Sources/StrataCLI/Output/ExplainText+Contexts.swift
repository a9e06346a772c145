import Engine
import PythonCompat

extension ExplainText {
    /// The section `explain` adds when Airflow 3's processes disagree about a key: which tier
    /// each one takes it from. Values are never shown here, only whether they differ.
    static func contexts(_ comparison: ContextComparison) -> String? {
        guard comparison.disagree else { return nil }
        let first = comparison.answers.first?.context.rawValue ?? "server"
        var lines = ["  contexts disagree (each Airflow 3 process asks its own chain):"]
        for answer in comparison.answers {
            var name = answer.context.rawValue
            if let reachable = answer.reachable {
                name += " (a sync call in trigger code, \(TriggererSyncLookups.portalSetting)=true: "
                    + "only \(reachable.map(\.rawValue).joined(separator: ", ")) are reached)"
                lines.append("    \(name)")
                name = ""
            }
            var line = "    \(pad(name, 10)) "
            if let winner = answer.winner {
                line += winner.rawValue + (answer.label.map { " (\(InertText.make($0)))" } ?? "")
                if answer.differsFromFirst { line += " — a different value from \(first)'s" }
            } else {
                line += "nothing — " + notFound(comparison.key.kind, context: answer.context)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// What Airflow raises in `context` when no tier has the key.
    static func notFound(_ kind: SecretKind, context: LookupContext) -> String {
        guard kind == .variable else { return "AirflowNotFoundException" }
        return context == .server ? "KeyError" : "VARIABLE_NOT_FOUND"
    }

    /// The comparison as `explain --json` reports it.
    static func contextsJSON(_ comparison: ContextComparison) -> JSONValue {
        .object(JSONObject([
            ("disagree", .bool(comparison.disagree)),
            ("answers", .array(comparison.answers.map { answer in
                .object(JSONObject([
                    ("context", .string(answer.context.rawValue)),
                    ("winner", answer.winner.map { .string($0.rawValue) } ?? .null),
                    ("differs_from_first", .bool(answer.differsFromFirst)),
                    ("sync_in_trigger_reaches", answer.reachable.map { .array($0.map { .string($0.rawValue) }) } ?? .null),
                ]))
            })),
        ]))
    }
}
