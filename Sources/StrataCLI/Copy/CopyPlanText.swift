import Editing
import Engine
import PythonCompat

/// How `strata copy` and `strata import` print a plan and what applying it did. Only keys,
/// stored names, tiers and field names are printed: never a value.
enum CopyPlanText {
    static func plan(_ plan: CopyPlan, dryRun: Bool) -> String {
        let kinds = Dictionary(grouping: plan.steps, by: \.key.kind)
        let what = [(SecretKind.connection, "connection"), (.variable, "variable")].compactMap { kind, noun -> String? in
            guard let count = kinds[kind]?.count, count > 0 else { return nil }
            return "\(count) \(noun)\(count == 1 ? "" : "s")"
        }.joined(separator: ", ")
        var lines = ["\(dryRun ? "Plan (dry run)" : "Plan"): \(plan.moves ? "move" : "copy") \(what.isEmpty ? "nothing" : what) "
                     + "from \(InertText.make(plan.sourceLabel)) to \(InertText.make(plan.targetLabel)) "
                     + "of deployment '\(InertText.make(plan.targetDeployment))'"]
        let width = plan.steps.map { InertText.make($0.key.description).count }.max() ?? 0
        // A note most keys share (a dead source row, a dropped description) is said once, after the keys.
        let noteCounts = plan.steps.flatMap(\.notes).reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        let shared = Set(noteCounts.filter { $0.value >= 3 }.keys)
        for step in plan.steps {
            let key = InertText.make(step.key.description)
            var line = "  " + step.actionName.padding(toLength: 10, withPad: " ", startingAt: 0) + key
            if let name = step.write?.name, step.reason == nil {
                line += String(repeating: " ", count: max(1, width - key.count + 1)) + "→ " + InertText.make(name)
                if step.key.kind == .connection, case .set(_, let form)? = step.write?.change.action, step.writes {
                    line += " (\(form.rawValue))"
                }
            }
            if step.action == .update || step.action == .conflict(skipped: false) || step.action == .conflict(skipped: true),
               let fields = step.write?.fields, !fields.isEmpty {
                line += "  [\(fields.map { $0.field.description }.joined(separator: ", ")) differ]"
            }
            lines.append(line)
            if let reason = step.reason { lines.append("      " + InertText.make(reason)) }
            if step.sourceDelete != nil, step.landsInTarget {
                lines.append("      then deleted from \(InertText.make(step.sourceDelete?.targetLabel ?? "the source")) once the copy is verified")
            }
            for note in step.notes where !shared.contains(note) { lines.append("      note: " + InertText.make(note)) }
        }
        var said = Set<String>()
        for note in plan.steps.flatMap(\.notes) where shared.contains(note) && said.insert(note).inserted {
            lines.append("  note (\(noteCounts[note] ?? 0) keys): " + InertText.make(note))
        }
        for problem in plan.problems {
            lines.append("  unreadable " + InertText.make(problem.key.description) + ": " + InertText.make(problem.reason) + " (not copied)")
        }
        lines.append(summary(plan))
        if plan.isBlocked {
            lines.append("Nothing is written: \(plan.count("conflict")) key(s) differ in the target. "
                         + "Use --on-conflict overwrite to replace them, or --on-conflict skip to leave them.")
        } else if dryRun {
            lines.append("(dry run: nothing was written)")
        }
        return lines.joined(separator: "\n")
    }

    static func summary(_ plan: CopyPlan) -> String {
        let parts = ["create", "update", "unchanged", "skipped", "conflict", "refused"].compactMap { name -> String? in
            let count = plan.count(name)
            return count == 0 ? nil : "\(count) \(name == "create" ? "to create" : name == "update" ? "to update" : name)"
        } + (plan.problems.isEmpty ? [] : ["\(plan.problems.count) unreadable in the source"])
        return "Summary: " + (parts.isEmpty ? "nothing to copy" : parts.joined(separator: ", ")) + "."
    }

    static func outcomes(_ outcomes: [CopyOutcome], plan: CopyPlan) -> String {
        var lines: [String] = []
        var written = 0, moved = 0, failed = 0
        for outcome in outcomes {
            if outcome.receipt != nil { written += 1 }
            if outcome.moved { moved += 1 }
            let key = InertText.make(outcome.step.key.description)
            if let error = outcome.error {
                failed += 1
                lines.append("  failed    \(key): \(InertText.make(error.message))")
            } else if let problem = outcome.verificationProblem {
                failed += 1
                lines.append("  unverified \(key): \(InertText.make(problem))")
            }
            for note in outcome.receipt?.notes ?? [] { lines.append("  note      \(key): \(InertText.make(note))") }
        }
        let verified = outcomes.filter { $0.step.landsInTarget && $0.error == nil && $0.verificationProblem == nil }.count
        lines.append("Done: \(written) written, \(verified) verified in \(InertText.make(plan.targetLabel)) after reading the deployment again"
                     + (plan.moves ? ", \(moved) deleted from the source" : "") + (failed > 0 ? ", \(failed) failed" : "") + "."
                     + (failed > 0 ? " Run the same command again to finish: keys already copied show as unchanged." : ""))
        return lines.joined(separator: "\n")
    }

    static func json(_ plan: CopyPlan, outcomes: [CopyOutcome]?, dryRun: Bool) -> JSONValue {
        var object = JSONObject()
        object["source"] = .string(plan.sourceLabel)
        object["deployment"] = .string(plan.targetDeployment)
        object["tier"] = .string(plan.targetTier.rawValue)
        object["tier_label"] = .string(plan.targetLabel)
        object["move"] = .bool(plan.moves)
        object["on_conflict"] = .string(plan.policy.rawValue)
        object["dry_run"] = .bool(dryRun)
        object["blocked"] = .bool(plan.isBlocked)
        let byKey = Dictionary((outcomes ?? []).map { ($0.step.key, $0) }, uniquingKeysWith: { a, _ in a })
        object["steps"] = .array(plan.steps.map { step in
            var item = JSONObject()
            item["kind"] = .string(step.key.kind.rawValue)
            item["id"] = .string(step.key.id)
            item["action"] = .string(step.actionName)
            item["name"] = step.write?.name.map(JSONValue.string) ?? .null
            if case .set(_, let form)? = step.write?.change.action, step.key.kind == .connection {
                item["form"] = .string(form.rawValue)
            }
            item["reason"] = step.reason.map(JSONValue.string) ?? .null
            item["differing_fields"] = .array((step.write?.fields ?? []).map { .string($0.field.description) })
            item["notes"] = .array(step.notes.map(JSONValue.string))
            item["delete_from_source"] = .bool(step.sourceDelete != nil)
            if let outcome = byKey[step.key] {
                var result = JSONObject()
                result["written"] = .bool(outcome.receipt != nil)
                result["moved"] = .bool(outcome.moved)
                result["error"] = outcome.error.map { .string($0.message) } ?? .null
                result["verification_problem"] = outcome.verificationProblem.map(JSONValue.string) ?? .null
                result["version"] = outcome.receipt?.version.map(JSONValue.string) ?? .null
                item["result"] = .object(result)
            }
            return .object(item)
        })
        object["unreadable"] = .array(plan.problems.map { problem in
            .object(JSONObject([("kind", .string(problem.key.kind.rawValue)), ("id", .string(problem.key.id)),
                                ("reason", .string(problem.reason))]))
        })
        return .object(object)
    }
}
