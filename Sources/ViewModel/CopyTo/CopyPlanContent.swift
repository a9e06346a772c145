import Editing
import Engine

/// The copy plan's lines: the key-by-key action, where each key is stored, refusals with their
/// reasons, notes, then — once applied — what each key did. Keys, stored names, tiers and field
/// names only: never a value.
enum CopyPlanContent {
    static func lines(_ session: CopySession, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func add(_ line: StyledLine, indent: Int = 14) { out += line.wrapped(width: width, indent: indent) }
        let plan = session.plan
        var head = StyledLine("from  ", .label)
        head.add(InertText.make(session.sourceLabel), .text)
        add(head, indent: 6)
        var into = StyledLine("to    ", .label)
        into.add(InertText.make(plan.targetLabel), plan.targetTier.role)
        into.add(" of deployment '" + InertText.make(plan.targetDeployment) + "'", .text)
        add(into, indent: 6)
        var policy = StyledLine("on conflict: ", .label)
        policy.add(plan.policy.rawValue, .title)
        policy.add(" — " + AppReducer.policyMeaning(plan.policy) + " (o changes it)", .muted)
        add(policy, indent: 6)
        out.append(StyledLine())
        let outcomes = Dictionary((session.outcomes ?? []).map { ($0.step.key, $0) }, uniquingKeysWith: { first, _ in first })
        for step in plan.steps {
            add(stepLine(step))
            if let reason = reason(step) { add(StyledLine("      " + InertText.make(reason), step.action == .conflict(skipped: true) ? .muted : .error), indent: 6) }
            for note in step.notes { add(StyledLine("      note: " + InertText.make(note), .warning), indent: 6) }
            // Refused and skipped keys were never tried: their reason above is all there is to say.
            if let outcome = outcomes[step.key], step.landsInTarget || outcome.error != nil { add(resultLine(outcome), indent: 6) }
        }
        for problem in plan.problems {
            var line = StyledLine(DisplayWidth.pad("unreadable", to: 11), .error)
            line.add(InertText.make(problem.key.description), .title)
            line.add(": " + InertText.make(problem.reason) + " (not copied)", .error)
            add(line)
        }
        for key in session.missing {
            var line = StyledLine(DisplayWidth.pad("no value", to: 11), .muted)
            line.add(InertText.make(key.description), .title)
            line.add(": no tier holds a value to copy", .muted)
            add(line)
        }
        out.append(StyledLine())
        add(StyledLine(summary(plan), .text), indent: 2)
        if plan.isBlocked {
            add(StyledLine("Nothing is written: \(plan.count("conflict")) key(s) differ in the target. "
                           + "o sets the policy to skip (leave them) or overwrite (replace them).", .warning), indent: 2)
        }
        if let progress = session.progress, session.isApplying {
            add(StyledLine("copying \(progress.done)/\(progress.total)…", .loading), indent: 2)
        }
        if let outcomes = session.outcomes {
            let tally = CopyTally(outcomes)
            add(StyledLine("Done: " + tally.summary + ", checked in \(InertText.make(plan.targetLabel)) after reading "
                           + "'\(InertText.make(plan.targetDeployment))' again. s plans again; @ shows the operations log.",
                           tally.failed + tally.unverified > 0 ? .error : .ok), indent: 2)
        }
        return out
    }

    private static func stepLine(_ step: CopyStep) -> StyledLine {
        let role: StyleRole
        switch step.action {
        case .create, .update: role = .ok
        case .unchanged: role = .muted
        case .conflict(let skipped): role = skipped ? .muted : .warning
        case .refused: role = .error
        }
        var line = StyledLine(DisplayWidth.pad(step.actionName, to: 11), role)
        let isConnection = step.key.kind == .connection
        line.add(isConnection ? "CONN " : "VAR  ", isConnection ? .kindConnection : .kindVariable)
        line.add(InertText.make(step.key.id), .title)
        if let write = step.write, step.reason == nil {
            line.add("  → " + InertText.make(write.name ?? step.key.id), .text)
            if isConnection, step.writes, case .set(_, let form) = write.change.action { line.add(" (\(form.rawValue))", .muted) }
        }
        if step.action != .create, step.action != .unchanged, let fields = step.write?.fields, !fields.isEmpty {
            line.add("  [" + fields.map { InertText.make($0.field.description) }.joined(separator: ", ") + " differ]", .muted)
        }
        line.add("  from " + InertText.make(step.origin), .muted)
        return line
    }

    /// Why a key is not copied, in the TUI's words (the plan's own reason names CLI flags).
    private static func reason(_ step: CopyStep) -> String? {
        switch step.action {
        case .refused(let error): return "✗ " + error.message
        case .conflict(let skipped):
            let label = step.write?.targetLabel ?? "the target"
            return skipped ? "\(label) holds a different value; left as it is (on conflict: skip)"
                : "⚠ \(label) holds a different value; nothing is written while any key differs (o: skip or overwrite)"
        default: return nil
        }
    }

    private static func resultLine(_ outcome: CopyOutcome) -> StyledLine {
        if let error = outcome.error {
            return StyledLine("      ✗ failed: \(error.kind.rawValue): " + InertText.make(error.message), .error)
        }
        if let problem = outcome.verificationProblem {
            return StyledLine("      ✗ unverified: " + InertText.make(problem), .error)
        }
        if let receipt = outcome.receipt {
            var text = "      ✓ \(receipt.created ? "created" : "updated") \(InertText.make(receipt.name)) in \(InertText.make(receipt.location))"
            if let version = receipt.version { text += " (version \(InertText.make(version)))" }
            for note in receipt.notes { text += "; " + InertText.make(note) }
            return StyledLine(text + ", verified", .ok)
        }
        if outcome.step.action == .unchanged { return StyledLine("      ✓ already held, verified", .ok) }
        return StyledLine("      – not written", .muted)
    }

    static func summary(_ plan: CopyPlan) -> String {
        let parts = ["create", "update", "unchanged", "skipped", "conflict", "refused"].compactMap { name -> String? in
            let count = plan.count(name)
            return count == 0 ? nil : "\(count) \(name == "create" ? "to create" : name == "update" ? "to update" : name)"
        } + (plan.problems.isEmpty ? [] : ["\(plan.problems.count) unreadable in the source"])
        return "Plan: " + (parts.isEmpty ? "nothing to copy" : parts.joined(separator: ", ")) + "."
    }
}
