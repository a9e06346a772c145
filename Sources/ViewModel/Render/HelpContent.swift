/// The help overlay: every binding of the key map, by section, plus filter tokens and commands.
enum HelpContent {
    /// The help for `state`: without the writing commands where nothing may be written.
    static func lines(_ state: AppState) -> [StyledLine] {
        let editable = AppReducer.editingRefusal(state) == nil
        var lines = lines(state.visibleKeyMap)
        guard editable else {
            lines.append(StyledLine())
            lines.append(StyledLine("Editing is off: " + (AppReducer.editingRefusal(state) ?? ""), .warning))
            return lines
        }
        lines.append(StyledLine())
        lines.append(StyledLine("Editor (e, n)", .helpSection))
        let keyWidth = 18
        lines += rows(EditorKeys.map.helpRows + EditorKeys.notes, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Staged changes (S)", .helpSection))
        lines += rows(StagedKeys.map.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Delete (D): type the id, then", .helpSection))
        lines += rows(DeleteKeys.map.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Copy (C): Space / * mark entries, u clears; the picker", .helpSection))
        lines += rows(CopyKeys.picker.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine("Copy plan: values as the deployment resolves them; never shown", .helpSection))
        lines += rows(CopyKeys.plan.helpRows, keyWidth: keyWidth)
        return lines
    }

    static func lines(_ keyMap: KeyMap) -> [StyledLine] {
        var lines: [StyledLine] = []
        var sections: [String] = []
        for binding in keyMap.bindings where !sections.contains(binding.section) { sections.append(binding.section) }
        let keyWidth = min(18, (keyMap.bindings.map { DisplayWidth.of($0.keyLabel) }.max() ?? 8) + 2)
        for section in sections {
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine(section, .helpSection))
            lines += rows(keyMap.bindings.filter { $0.section == section }.map { ($0.keyLabel, $0.help) }, keyWidth: keyWidth)
        }
        lines.append(StyledLine())
        lines.append(StyledLine("Filter (/): words match ids; tokens narrow", .helpSection))
        let tokens: [(String, String)] = [
            ("@backend @env", "value supplied by that tier (also @metastore, @workers)"),
            ("@shadowed", "another tier also holds a value"),
            ("@differs", "a shadowed tier holds a different value"),
            ("@collision", "another id reads the same name"),
            ("@unreadable", "some tier holds something unusable"),
            ("var: conn:", "only variables / connections (var:region)"),
        ]
        lines += rows(tokens, keyWidth: keyWidth)
        lines += rows(FilterKeys.map.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("List markers", .helpSection))
        lines += rows([("●", "marked for C (Space, *; u clears)"), ("⚑N", "N lower tiers also hold a value (shadowed)"), ("≠ differs", "a shadowed value differs from the one used"),
                               ("⇄ collision", "another id reads the same name in some tier"), ("✗ unreadable", "a tier holds something unusable (see Detail)")], keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Compare (c, :compare)", .helpSection))
        lines += rows(CompareKeys.map.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Operations log (@, :log)", .helpSection))
        lines += rows(OperationsKeys.map.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Commands (:)", .helpSection))
        lines += rows([(":deployment NAME", "switch deployment"), (":theme NAME", "default, light, high-contrast, mono or a file"),
                                (":compare A B…", "compare deployments' effective values"),
                                (":new conn ID", "new connection (:new var KEY for a variable)"),
                                (":delete", "delete the selected entry from a tier"),
                                (":w", "save the staged changes"), (":log", "the operations log"),
                                (":q!", "quit without saving staged changes"),
                                (":q", "quit")], keyWidth: keyWidth)
        lines += rows(CommandLineKeys.map.helpRows, keyWidth: keyWidth)
        lines.append(StyledLine())
        lines.append(StyledLine("Values are masked until you press x; they mask again after a few seconds.", .muted))
        return lines
    }

    /// A help row per (keys, text): the keys padded to `keyWidth` in the key style, then the text.
    private static func rows(_ rows: [(String, String)], keyWidth: Int) -> [StyledLine] {
        rows.map { keys, text in
            var line = StyledLine("  " + DisplayWidth.pad(keys, to: keyWidth), .helpKey)
            line.add(text)
            return line
        }
    }

}
