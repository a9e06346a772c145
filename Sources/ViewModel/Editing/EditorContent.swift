import Engine

/// The editor overlay's lines, each tagged with the form row it belongs to (for the cursor and scrolling).
enum EditorContent {
    static let labelWidth = 13

    static func lines(_ state: AppState, _ editor: EditorState, width: Int) -> [(row: Int?, line: StyledLine)] {
        var out: [(Int?, StyledLine)] = []
        for (index, row) in editor.rows.enumerated() {
            let focused = index == editor.focus
            for line in rowLines(state, editor, row, focused: focused) {
                for piece in line.wrapped(width: width, indent: labelWidth) { out.append((index, piece)) }
            }
            if focused, editor.typing != nil, let error = editor.error {
                for piece in StyledLine(DisplayWidth.pad("", to: labelWidth) + "✗ " + InertText.make(error), .error)
                    .wrapped(width: width, indent: labelWidth + 2) { out.append((index, piece)) }
            }
            if row == .target || row == .json || (row == .value) { out.append((nil, StyledLine())) }
        }
        return out
    }

    /// A `label  value` line whose label shows the cursor.
    static func labelled(_ label: String, focused: Bool) -> StyledLine {
        StyledLine(DisplayWidth.pad(label, to: labelWidth), focused ? .selection : .label)
    }

    /// The typed text with the cursor drawn in it.
    static func typed(_ field: TextField, into line: inout StyledLine, masked: Bool = false) {
        let (before, after) = field.split
        line.add(InertText.make(before), .prompt)
        line.add("▏", .prompt)
        line.add(InertText.make(after), .prompt)
    }

    static func rowLines(_ state: AppState, _ editor: EditorState, _ row: EditorState.Row, focused: Bool) -> [StyledLine] {
        let typing = focused ? editor.typing : nil
        switch row {
        case .target:
            var line = labelled("write to", focused: focused)
            if let target = editor.target {
                let label = state.deploymentState?.descriptors[target]?.label ?? target.rawValue
                line.add(target.shortName, target.role)
                line.add(" (" + InertText.make(label) + ")", .value)
                if editor.key.kind == .connection { line.add("  stored as " + editor.form.rawValue, .value) }
            } else {
                line.add("no tier chosen", .warning)
            }
            var from = StyledLine(DisplayWidth.pad("starts from", to: labelWidth), .label)
            from.add(InertText.make(editor.startedFrom), .muted)
            return [line, from]
        case .uri, .json:
            guard let draft = editor.connection else { return [] }
            var line = labelled(row == .uri ? "URI" : "JSON", focused: focused)
            if let typing {
                typed(typing, into: &line)
            } else {
                switch row == .uri ? draft.uri(revealed: editor.revealed) : draft.json(revealed: editor.revealed) {
                case .success(let text): line.add(InertText.make(text), .value)
                case .failure(let error): line.add("✗ " + InertText.make(error.description), .error)
                }
            }
            return [line]
        case .field(let field):
            guard let draft = editor.connection else { return [] }
            var line = labelled(field.rawValue, focused: focused)
            if let typing {
                if field.isSecret && !editor.revealed && editor.typingStartedMasked {
                    let hidden = TextField(String(repeating: "•", count: typing.text.count))
                    typed(hidden, into: &line)
                    line.add(typing.text.isEmpty ? "  type a new password; empty keeps the stored one" : "", .muted)
                } else {
                    typed(typing, into: &line)
                }
                return [line]
            }
            let text = draft.text(of: field, revealed: editor.revealed)
            if let text {
                let role: StyleRole = field.isSecret ? (editor.revealed ? .revealed : .masked) : .value
                line.add(text.isEmpty ? "\"\"" : InertText.make(text), text.isEmpty ? .muted : role)
                if field.isSecret && !editor.revealed && !text.isEmpty { line.add("  (x reveals)", .muted) }
            } else {
                line.add("—", .muted)
            }
            var lines = [line]
            if field == .extra, let rows = draft.extraRows(revealed: editor.revealed) {
                let keyWidth = min(20, (rows.map { DisplayWidth.of(InertText.make($0.key)) }.max() ?? 0) + 2)
                for (key, value) in rows {
                    var row = StyledLine(DisplayWidth.pad("", to: labelWidth + 2), .text)
                    row.add(DisplayWidth.pad(InertText.make(key), to: keyWidth), .label)
                    row.add(InertText.make(value), value == Masked.placeholder ? .masked : .value)
                    lines.append(row)
                }
            }
            return lines
        case .value:
            guard let draft = editor.variable else { return [] }
            var lines: [StyledLine] = []
            let masked = draft.isSensitive && !editor.revealed
            if let typing {
                if editor.typingStartedMasked && !editor.revealed {
                    var line = labelled("value", focused: true)
                    typed(TextField(String(repeating: "•", count: typing.text.count)), into: &line)
                    line.add(typing.text.isEmpty ? "  type a new value; empty keeps the stored one" : "", .muted)
                    lines.append(line)
                } else {
                    // Several lines: the cursor on the line it is in.
                    let (before, after) = typing.split
                    let beforeLines = before.split(separator: "\n", omittingEmptySubsequences: false)
                    let afterLines = after.split(separator: "\n", omittingEmptySubsequences: false)
                    var texts = beforeLines.dropLast().map { StyledLine(InertText.make(String($0)), .prompt) }
                    var cursorLine = StyledLine(InertText.make(String(beforeLines.last ?? "")), .prompt)
                    cursorLine.add("▏", .prompt)
                    cursorLine.add(InertText.make(String(afterLines.first ?? "")), .prompt)
                    texts.append(cursorLine)
                    texts += afterLines.dropFirst().map { StyledLine(InertText.make(String($0)), .prompt) }
                    for (index, text) in texts.enumerated() {
                        var line = index == 0 ? labelled("value", focused: true) : StyledLine(DisplayWidth.pad("", to: labelWidth))
                        line.spans += text.spans
                        lines.append(line)
                    }
                }
            } else {
                let texts = masked && !draft.text.isEmpty ? [Masked.placeholder]
                    : draft.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for (index, text) in texts.enumerated() {
                    var line = index == 0 ? labelled("value", focused: focused) : StyledLine(DisplayWidth.pad("", to: labelWidth))
                    if draft.text.isEmpty { line.add("\"\" (empty: still a value Airflow returns)", .muted) }
                    else { line.add(InertText.make(text), masked ? .masked : .value) }
                    if masked && !draft.text.isEmpty { line.add("  (x reveals)", .muted) }
                    lines.append(line)
                }
            }
            if let check = draft.jsonCheck {
                var line = StyledLine(DisplayWidth.pad("JSON", to: labelWidth), .label)
                switch check {
                case .success(let text): line.add("✓ " + text, .ok)
                case .failure(let error): line.add("✗ " + InertText.make(error.description), .error)
                }
                lines.append(line)
            }
            return lines
        case .description:
            guard let draft = editor.variable else { return [] }
            var line = labelled("description", focused: focused)
            let kept = AppReducer.writer(state, editor.target)?.keepsVariableDescriptions ?? false
            if let typing {
                typed(typing, into: &line)
            } else if let description = draft.description {
                line.add(InertText.make(description), .value)
            } else {
                line.add("—", .muted)
            }
            if !kept { line.add("  (this tier does not keep descriptions)", .muted) }
            return [line]
        }
    }
}
