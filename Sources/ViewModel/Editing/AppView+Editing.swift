import Engine
import Foundation

extension AppView {
    static func drawEditor(_ frame: inout Frame, _ state: AppState) {
        guard let editor = state.editor else { return }
        let rect = CompareLayout.rect(state.size)
        frame.fill(rect, role: .text)
        let verb = editor.isNew ? "New " : "Edit "
        let version = state.activeDeploymentValue.map { "Airflow \($0.airflowVersion.rawValue)" } ?? ""
        let parser: String
        switch editor.dialect {
        case .airflow2: parser = "parser: Airflow 2"
        case .core: parser = "parser: core"
        case .sdk: parser = "parser: Task SDK"
        }
        frame.box(rect, title: verb + InertText.make(editor.key.description), focused: true,
                  titleSuffix: version + " · " + parser + (editor.revealed ? " · revealed" : ""))
        let inner = rect.inner
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        let lines = EditorContent.lines(state, editor, width: body.width)
        let focusLines = lines.indices.filter { lines[$0].row == editor.focus }
        var scroll = 0
        if let last = focusLines.last, last >= body.height { scroll = last - body.height + 1 }
        if let first = focusLines.first, first < scroll { scroll = first }
        for row in 0..<body.height {
            let index = scroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(lines[index].line, x: body.x, y: body.y + row, limit: body.maxX)
        }
        let keys = editor.typing != nil
            ? (editor.typing?.multiline == true ? "Enter new line · Tab keep · Esc undo · Ctrl-S stage"
                                                : "Enter keep · Esc undo · Tab next · Ctrl-U clear")
            : "j/k move · Enter type · x reveal · t tier · E $EDITOR · s stage · Esc close"
        frame.put(" " + keys, x: inner.x, y: inner.maxY - 1, role: .muted, limit: inner.maxX)
        if editor.picker != nil { drawTierPicker(&frame, state, editor, rect) }
    }

    static func drawTierPicker(_ frame: inout Frame, _ state: AppState, _ editor: EditorState, _ around: Rect) {
        let slots = AppReducer.writerSlots(state)
        let width = min(around.width - 4, 76)
        let rect = Rect(x: around.x + 2, y: around.y + 2, width: width, height: slots.count + 4)
        frame.fill(rect, role: .text)
        frame.box(rect, title: "Write \(InertText.make(editor.key.description)) to", focused: true, titleSuffix: "Enter picks · Esc")
        for (index, slot) in slots.enumerated() {
            let y = rect.y + 1 + index
            let selected = index == editor.picker
            var column = frame.put(selected ? " ▶ " : "   ", x: rect.x + 1, y: y, role: .ok, limit: rect.maxX - 1)
            column = frame.put(DisplayWidth.pad(slot.tier.shortName, to: 10), x: column, y: y,
                               role: slot.writer == nil ? .muted : slot.tier.role, limit: rect.maxX - 1)
            if let writer = slot.writer {
                column = frame.put(InertText.make(slot.descriptor.label), x: column, y: y, role: .value, limit: rect.maxX - 1)
                if editor.key.kind == .connection, !writer.connectionForms.isEmpty {
                    frame.put("  as " + writer.connectionForms.map(\.rawValue).joined(separator: ", "), x: column, y: y,
                              role: .muted, limit: rect.maxX - 1)
                }
            } else {
                frame.put("✗ " + InertText.make(slot.unavailableReason ?? "cannot be written"), x: column, y: y,
                          role: .muted, limit: rect.maxX - 1)
            }
            if selected {
                frame.restyle(Rect(x: rect.x + 1, y: y, width: 3, height: 1), role: .selection)
            }
        }
        frame.put(" unavailable tiers cannot be picked", x: rect.x + 1, y: rect.maxY - 2, role: .muted, limit: rect.maxX - 1)
    }

    // MARK: - Staged changes

    static func drawStaged(_ frame: inout Frame, _ state: AppState) {
        let rect = CompareLayout.rect(state.size)
        frame.fill(rect, role: .text)
        let name = state.activeDeploymentValue.map { InertText.make($0.name) } ?? ""
        let suffix = state.isSaving ? "saving…" : "\(state.staged.count) staged · nothing written until s"
        frame.box(rect, title: "Staged changes · " + name, focused: true, titleSuffix: suffix)
        let inner = rect.inner
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        let lines = StagedContent.lines(state, width: body.width)
        let cursorLines = lines.indices.filter { lines[$0].change == state.stagedCursor }
        var scroll = 0
        if let last = cursorLines.last, last >= body.height { scroll = min(cursorLines.first ?? 0, last - body.height + 1) }
        for row in 0..<body.height {
            let index = scroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(lines[index].line, x: body.x, y: body.y + row, limit: body.maxX)
        }
        frame.put(" j/k move · s save all · u undo the selected · e edit it again · Esc close", x: inner.x, y: inner.maxY - 1,
                  role: .muted, limit: inner.maxX)
    }

    // MARK: - Delete

    static func drawDelete(_ frame: inout Frame, _ state: AppState) {
        guard let dialog = state.deleteDialog else { return }
        let width = min(state.size.columns - 4, 72)
        let rect = Rect(x: (state.size.columns - width) / 2, y: max(0, state.size.rows / 2 - 5), width: width, height: 9)
        frame.fill(rect, role: .text)
        frame.box(rect, title: "Delete " + InertText.make(dialog.key.description), focused: true, titleSuffix: "Esc cancels")
        let x = rect.x + 2, limit = rect.maxX - 2
        var line = StyledLine("from       ", .label)
        for (index, tier) in dialog.tiers.enumerated() {
            line.add(index == dialog.tierIndex ? "[" + tier.shortName + "]" : " " + tier.shortName + " ",
                     index == dialog.tierIndex ? .selection : tier.role)
            line.add(" ")
        }
        line.add(dialog.tiers.count > 1 ? " Tab changes" : "", .muted)
        frame.put(line, x: x, y: rect.y + 1, limit: limit)
        let label = dialog.tier.flatMap { state.deploymentState?.descriptors[$0]?.label } ?? ""
        frame.put("deletes it from " + InertText.make(label) + " only; other tiers keep theirs", x: x, y: rect.y + 2,
                  role: .muted, limit: limit)
        frame.put("type the id to confirm: " + InertText.make(dialog.key.id), x: x, y: rect.y + 4, role: .text, limit: limit)
        var typed = StyledLine("> ", .prompt)
        EditorContent.typed(dialog.typed, into: &typed)
        frame.put(typed, x: x, y: rect.y + 5, limit: limit)
        if let error = dialog.error {
            frame.put("✗ " + error, x: x, y: rect.y + 6, role: .error, limit: limit)
        } else {
            frame.put("Enter stages the delete (s in the staged view writes it)", x: x, y: rect.y + 6, role: .muted, limit: limit)
        }
    }

    // MARK: - Quit confirmation

    static func drawConfirmQuit(_ frame: inout Frame, _ state: AppState) {
        let width = min(state.size.columns - 4, 64)
        let rect = Rect(x: (state.size.columns - width) / 2, y: max(0, state.size.rows / 2 - 3), width: width, height: 6)
        frame.fill(rect, role: .text)
        frame.box(rect, title: "Quit with staged changes?", focused: true)
        let count = state.staged.count
        frame.put("\(count) staged change\(count == 1 ? " is" : "s are") not saved; quitting drops \(count == 1 ? "it" : "them").",
                  x: rect.x + 2, y: rect.y + 1, role: .warning, limit: rect.maxX - 2)
        frame.put("y quit without saving · n stay · S review them", x: rect.x + 2, y: rect.y + 3, role: .text, limit: rect.maxX - 2)
    }

    // MARK: - Operations log

    static func drawOperations(_ frame: inout Frame, _ state: AppState) {
        let rect = CompareLayout.rect(state.size)
        frame.fill(rect, role: .text)
        frame.box(rect, title: "Operations log", focused: true,
                  titleSuffix: "\(state.operations.count) this session · newest first · values never shown")
        let inner = rect.inner
        let x = inner.x + 1, limit = inner.maxX - 1
        let nameWidth = max(12, limit - x - 10 - 7 - 24 - 16 - 9)
        var header = StyledLine(DisplayWidth.pad("time", to: 10), .label)
        header.add(DisplayWidth.pad("kind", to: 7), .label)
        header.add(DisplayWidth.pad("target", to: 24), .label)
        header.add(DisplayWidth.pad("name", to: nameWidth), .label)
        header.add(DisplayWidth.pad("result", to: 16), .label)
        header.add("took", .label)
        frame.put(header, x: x, y: inner.y, limit: limit)
        if state.operations.isEmpty {
            frame.put("no writes or remote calls yet", x: x, y: inner.y + 1, role: .muted, limit: limit)
        }
        let rows = inner.height - 2
        let newestFirst = Array(state.operations.reversed())
        for row in 0..<max(0, rows) {
            let index = state.operationsScroll + row
            guard newestFirst.indices.contains(index) else { break }
            let entry = newestFirst[index]
            func cell(_ text: String, _ width: Int) -> String {
                DisplayWidth.pad(DisplayWidth.truncate(InertText.make(text), to: width - 1), to: width)
            }
            var line = StyledLine(DisplayWidth.pad(clockTime(entry.time, offset: state.utcOffsetSeconds), to: 10), .muted)
            line.add(DisplayWidth.pad(entry.kind.rawValue, to: 7), entry.kind == .call ? .text : .warning)
            line.add(cell(entry.target, 24), .value)
            line.add(cell(entry.name, nameWidth), .text)
            line.add(cell(entry.result, 16), entry.succeeded ? .ok : .error)
            line.add(entry.duration.map(durationText) ?? "", .muted)
            frame.put(line, x: x, y: inner.y + 1 + row, limit: limit)
        }
        frame.put(" j/k scroll · Esc close", x: inner.x, y: inner.maxY - 1, role: .muted, limit: inner.maxX)
    }

    /// HH:MM:SS at `offset` seconds east of UTC.
    static func clockTime(_ date: Date, offset: Int) -> String {
        let seconds = (Int(date.timeIntervalSince1970.rounded(.down)) + offset) % 86_400
        let day = seconds < 0 ? seconds + 86_400 : seconds
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(day / 3600)):\(two(day / 60 % 60)):\(two(day % 60))"
    }

    static func durationText(_ duration: Duration) -> String {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return milliseconds < 10 ? String(format: "%.1f ms", milliseconds) : "\(Int(milliseconds.rounded())) ms"
    }
}
