import Editing
import Engine
import PythonCompat

/// How the editing commands print a plan and its outcome. Secret fields are always masked:
/// the plan is for checking what changes, not for reading values.
enum EditPlanText {
    static func plan(_ planned: PlannedChange, deployment: String, dryRun: Bool) -> String {
        let key = InertText.make("\(planned.change.key)")
        var lines: [String] = []
        let verb: String
        switch planned.change.action {
        case .set(_, let form):
            verb = "set \(key) in \(planned.targetLabel)"
                + (planned.change.key.kind == .connection ? " as \(form.rawValue)" : "")
        case .delete:
            verb = "delete \(key) from \(planned.targetLabel)"
        }
        lines.append("\(dryRun ? "Plan (dry run)" : "Plan") for deployment '\(InertText.make(deployment))': \(verb)")
        if let name = planned.name { lines.append("  name: \(InertText.make(name))") }
        for field in planned.fields {
            let before = InertText.make(field.displayedBefore(mask: Masking.marker))
            let after = InertText.make(field.displayedAfter(mask: Masking.marker))
            let note = field.isSecret ? " (secret, changed)" : ""
            lines.append("  \(field.field): \(before) → \(after)\(note)")
        }
        for warning in planned.warnings { lines.append("  warning: \(InertText.make(warning))") }
        if let refusal = planned.refusal {
            lines.append("  refused: \(InertText.make(refusal.message))")
        } else if planned.isNoOp {
            lines.append(planned.change.newValue == nil
                         ? "  nothing to do: \(planned.targetLabel) does not hold \(key)."
                         : "  nothing to do: \(planned.targetLabel) already holds this value; nothing is written.")
        } else if dryRun {
            lines.append("  (dry run: nothing was written)")
        }
        return lines.joined(separator: "\n")
    }

    static func outcome(_ outcome: EditExecutor.Outcome, winnerNow: Resolution?) -> String {
        guard let receipt = outcome.receipt else {
            let remedy = outcome.error?.remedy.map { " " + InertText.make($0.commandHint(for: outcome.planned.change.key)) } ?? ""
            return "Not written: \(InertText.make(outcome.error?.message ?? "nothing to write"))" + remedy
        }
        let what = outcome.planned.change.newValue == nil ? "Deleted" : receipt.created ? "Created" : "Updated"
        var lines = ["\(what) \(InertText.make(receipt.name)) in \(InertText.make(receipt.location))"
                     + (receipt.version.map { " (version \(InertText.make($0)))" } ?? "") + "; read back and verified."]
        for note in receipt.notes { lines.append("  note: \(InertText.make(note))") }
        if let winnerNow {
            let key = InertText.make("\(winnerNow.key)")
            if let label = winnerNow.winning?.label {
                lines.append("Airflow now reads \(key) from \(label).")
            } else {
                lines.append("No tier supplies \(key) now.")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ planned: PlannedChange, outcome: EditExecutor.Outcome?, winnerNow: Resolution?, dryRun: Bool) -> JSONValue {
        var object = JSONObject()
        object["kind"] = .string(planned.change.key.kind.rawValue)
        object["id"] = .string(planned.change.key.id)
        object["tier"] = .string(planned.target.rawValue)
        object["tier_label"] = .string(planned.targetLabel)
        object["name"] = planned.name.map(JSONValue.string) ?? .null
        switch planned.change.action {
        case .set(_, let form):
            object["action"] = .string("set")
            object["form"] = planned.change.key.kind == .connection ? .string(form.rawValue) : .null
        case .delete:
            object["action"] = .string("delete")
        }
        object["fields"] = .array(planned.fields.map { field in
            var item = JSONObject()
            item["field"] = .string(field.field.description)
            item["before"] = field.before == nil ? .null : .string(field.displayedBefore(mask: Masking.marker))
            item["after"] = field.after == nil ? .null : .string(field.displayedAfter(mask: Masking.marker))
            item["masked"] = .bool(field.isSecret)
            return .object(item)
        })
        object["warnings"] = .array(planned.warnings.map(JSONValue.string))
        object["refusal"] = planned.refusal.map { refusal in
            .object(JSONObject([("kind", .string(refusal.kind.rawValue)), ("message", .string(refusal.message))]))
        } ?? .null
        object["no_op"] = .bool(planned.isNoOp)
        object["dry_run"] = .bool(dryRun)
        object["winner_after"] = planned.winnerAfter.map { .string($0.rawValue) } ?? .null
        if let outcome {
            var result = JSONObject()
            if let receipt = outcome.receipt {
                result["status"] = .string("written")
                result["name"] = .string(receipt.name)
                result["location"] = .string(receipt.location)
                result["version"] = receipt.version.map(JSONValue.string) ?? .null
                result["created"] = .bool(receipt.created)
                result["notes"] = .array(receipt.notes.map(JSONValue.string))
            } else if let error = outcome.error {
                result["status"] = .string(error.kind.rawValue)
                result["message"] = .string(error.message)
                if let remedy = error.remedy { result["remedy"] = .string(remedy.rawValue) }
            }
            if let winnerNow { result["winner_now"] = winnerNow.winner.map { .string($0.rawValue) } ?? .null }
            object["result"] = .object(result)
        }
        return .object(object)
    }
}
