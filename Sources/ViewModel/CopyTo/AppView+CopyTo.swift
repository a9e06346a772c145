import Engine

extension AppView {
    /// `C`'s picker: the destinations, unavailable ones with why, and the deployments still loading.
    static func drawCopyTargets(_ frame: inout Frame, _ state: AppState) {
        guard let picker = state.copyPicker else { return }
        let destinations = AppReducer.copyDestinations(state)
        let readOnly = state.deployments.indices.filter { $0 != state.activeDeployment && state.deployments[$0].readOnly }
        let extra = picker.loading.count + readOnly.count
        let width = min(state.size.columns - 4, 84)
        let height = min(state.size.rows - 2, destinations.count + extra + 5)
        let rect = Rect(x: (state.size.columns - width) / 2, y: 1, width: width, height: max(6, height))
        frame.fill(rect, role: .text)
        let count = picker.keys.count
        let what = count == 1 ? InertText.make(picker.keys[0].description) : "\(count) entries"
        frame.box(rect, title: "Copy \(what) to", focused: true, titleSuffix: "Enter plans · Esc")
        let x = rect.x + 2, limit = rect.maxX - 2
        frame.put("values as \(InertText.make(state.activeDeploymentValue?.name ?? "")) resolves them, each from its winning tier",
                  x: x, y: rect.y + 1, role: .muted, limit: limit)
        let rows = max(1, rect.height - 4 - extra)
        let scroll = max(0, picker.cursor - rows + 1)
        var y = rect.y + 2
        for index in scroll..<min(destinations.count, scroll + rows) {
            let destination = destinations[index]
            let selected = index == picker.cursor
            var column = frame.put(selected ? "▶ " : "  ", x: x, y: y, role: .ok, limit: limit)
            column = frame.put(DisplayWidth.pad(InertText.make(destination.address), to: 22), x: column, y: y,
                               role: destination.unavailable == nil ? destination.tier.role : .muted, limit: limit)
            column = frame.put(InertText.make(destination.label), x: column, y: y,
                               role: destination.unavailable == nil ? .value : .muted, limit: limit)
            if let reason = destination.unavailable {
                frame.put("  ✗ " + reason, x: column, y: y, role: .muted, limit: limit)
            }
            if selected { frame.restyle(Rect(x: x, y: y, width: 2, height: 1), role: .selection) }
            y += 1
        }
        if destinations.isEmpty && picker.loading.isEmpty {
            frame.put("no tier to copy into", x: x, y: y, role: .muted, limit: limit)
            y += 1
        }
        for name in picker.loading {
            frame.put("  " + InertText.make(name) + ": loading its tiers…", x: x, y: y, role: .loading, limit: limit)
            y += 1
        }
        for index in readOnly {
            frame.put("  " + InertText.make(state.deployments[index].name) + ": read-only deployment, not offered",
                      x: x, y: y, role: .muted, limit: limit)
            y += 1
        }
    }

    /// The copy plan: what each key will do (or did), masked, with the policy and the progress.
    static func drawCopyPlan(_ frame: inout Frame, _ state: AppState) {
        guard let session = state.copySession else { return }
        let rect = CompareLayout.rect(state.size)
        frame.fill(rect, role: .text)
        let suffix: String
        if session.isApplying, let progress = session.progress {
            suffix = "copying \(progress.done)/\(progress.total)…"
        } else if session.outcomes != nil {
            suffix = "applied"
        } else {
            suffix = "\(session.work.count) to write · nothing written until s"
        }
        frame.box(rect, title: "Copy plan · " + InertText.make(session.plan.targetDeployment), focused: true, titleSuffix: suffix)
        let inner = rect.inner
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        let lines = CopyPlanContent.lines(session, width: body.width)
        let scroll = max(0, min(session.scroll, lines.count - body.height))
        for row in 0..<body.height {
            let index = scroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(lines[index], x: body.x, y: body.y + row, limit: body.maxX)
        }
        frame.put(" j/k scroll · o on conflict · s apply · Esc close · values never shown", x: inner.x, y: inner.maxY - 1,
                  role: .muted, limit: inner.maxX)
    }
}
