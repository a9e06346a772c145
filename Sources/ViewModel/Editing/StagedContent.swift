import Engine

/// The staged view's lines: each change with its masked diff, warnings and refusal, then what
/// the last save did. Each line carries the index of the change it belongs to.
enum StagedContent {
    static func lines(_ state: AppState, width: Int) -> [(change: Int?, line: StyledLine)] {
        var out: [(Int?, StyledLine)] = []
        func add(_ line: StyledLine, _ change: Int?, indent: Int = 6) {
            for piece in line.wrapped(width: width, indent: indent) { out.append((change, piece)) }
        }
        if state.staged.isEmpty {
            add(StyledLine("nothing staged: e edits the selected entry, n makes a new one, D deletes", .muted), nil)
        }
        let planned = state.stagedPlan?.changes ?? []
        for (index, edit) in state.staged.enumerated() {
            let plan = planned.indices.contains(index) && planned[index].change == edit.change && planned[index].target == edit.tier
                ? planned[index] : nil
            let selected = index == state.stagedCursor
            let isConnection = edit.change.key.kind == .connection
            var head = StyledLine(selected ? "▶ " : "  ", .ok)
            head.add(isConnection ? "CONN " : "VAR  ", isConnection ? .kindConnection : .kindVariable)
            head.add(InertText.make(edit.change.key.id), selected ? .selection : .title)
            head.add(edit.change.newValue == nil ? "  delete from " : "  → ", .text)
            head.add(InertText.make(plan?.targetLabel ?? edit.tier.rawValue), edit.tier.role)
            if let name = plan?.name { head.add(" as " + InertText.make(name), .muted) }
            if case .set(.connection, let form) = edit.change.action { head.add(" (" + form.rawValue + ")", .muted) }
            add(head, index)
            guard let plan else {
                add(StyledLine("    checking against the deployment…", .loading), index)
                continue
            }
            if let refusal = plan.refusal {
                add(StyledLine("    ✗ refused: " + InertText.make(refusal.message), .error), index)
                continue
            }
            if plan.isNoOp {
                add(StyledLine("    = unchanged: nothing will be written", .muted), index)
            }
            let labelWidth = min(20, (plan.fields.map { DisplayWidth.of(InertText.make($0.field.description)) }.max() ?? 6) + 2)
            for field in plan.fields {
                var line = StyledLine("    " + DisplayWidth.pad(InertText.make(field.field.description), to: labelWidth), .label)
                let before = field.displayedBefore(mask: Masked.placeholder)
                let after = field.displayedAfter(mask: Masked.placeholder)
                line.add(InertText.make(before), field.before == nil ? .muted : (field.isSecret ? .masked : .value))
                line.add(" → ", .muted)
                line.add(InertText.make(after), field.after == nil ? .muted : (field.isSecret ? .masked : .ok))
                add(line, index, indent: 4 + labelWidth)
            }
            for warning in plan.warnings {
                add(StyledLine("    ⚠ " + InertText.make(warning), .warning), index)
            }
            if plan.takesEffect && plan.warnings.isEmpty && plan.change.newValue != nil {
                add(StyledLine("    ✓ Airflow will read this value", .ok), index)
            }
        }
        if !state.saveResults.isEmpty {
            out.append((nil, StyledLine()))
            add(StyledLine("Last save", .helpSection), nil)
            for result in state.saveResults {
                var line = StyledLine(result.succeeded ? "  ✓ " : "  ✗ ", result.succeeded ? .ok : .error)
                line.add(InertText.make(result.key.description) + "  ", .title)
                line.add(result.message, result.succeeded ? .text : .error)
                add(line, nil)
            }
        }
        return out
    }
}
