import Engine

extension AppView {
    static func drawCompare(_ frame: inout Frame, _ state: AppState) {
        guard let view = state.compare else { return }
        let rect = CompareLayout.rect(state.size)
        frame.fill(rect, role: .text)
        if let key = view.fieldsKey {
            drawCompareFields(&frame, state, view, key, rect)
            return
        }
        let filter = "filter: \(view.filter.rawValue) · \(view.shownKeys.count)/\(view.totalRows)"
        switch view.content {
        case .tiers(let matrix):
            let name = state.activeDeploymentValue.map { InertText.make($0.name) } ?? ""
            frame.box(rect, title: "Compare tiers · \(name)", focused: true, titleSuffix: filter)
            drawTierMatrix(&frame, matrix, view, rect.inner)
        case .deployments(let comparison):
            let names = comparison.deployments.map(InertText.make).joined(separator: " · ")
            frame.box(rect, title: "Compare deployments · \(names)", focused: true, titleSuffix: filter)
            drawDeploymentComparison(&frame, comparison, view, rect.inner)
        case .loadingDeployments(let names):
            frame.box(rect, title: "Compare deployments · \(names.map(InertText.make).joined(separator: " · "))",
                      focused: true, titleSuffix: "loading")
            frame.put(" loading every tier of \(names.map(InertText.make).joined(separator: ", "))…",
                      x: rect.inner.x, y: rect.inner.y, role: .loading, limit: rect.inner.maxX)
        }
    }

    /// The id column fits the longest id shown (within what is left after the other columns).
    private static func columnWidths(inner: Rect, columns: Int, preferred: Int, keys: [SecretKey]) -> (id: Int, column: Int) {
        let column = max(3, min(preferred, (inner.width - 20) / max(1, columns)))
        let available = max(8, inner.width - 1 - column * columns)
        let longest = keys.lazy.map { DisplayWidth.of(InertText.make($0.id)) }.max() ?? 0
        return (min(available, max(16, longest + 8)), column)
    }

    private static func drawRowStart(_ frame: inout Frame, _ key: SecretKey, y: Int, x: Int, idWidth: Int, limit: Int,
                                     collides: Bool = false) -> Int {
        let isConnection = key.kind == .connection
        var column = frame.put(isConnection ? " CONN " : " VAR  ", x: x, y: y,
                               role: isConnection ? .kindConnection : .kindVariable, limit: limit)
        let marker = collides ? " ⇄" : ""
        column = frame.put(DisplayWidth.truncate(InertText.make(key.id), to: idWidth - 7 - marker.count),
                           x: column, y: y, role: .text, limit: limit)
        column = frame.put(marker, x: column, y: y, role: .markerCollision, limit: limit)
        column = frame.put(String(repeating: " ", count: max(0, x + idWidth - column)), x: column, y: y, role: .text, limit: limit)
        return frame.put(" ", x: column, y: y, role: .text, limit: limit)
    }

    static func drawTierMatrix(_ frame: inout Frame, _ matrix: TierMatrix, _ view: CompareView, _ inner: Rect) {
        let (idWidth, columnWidth) = columnWidths(inner: inner, columns: matrix.tiers.count, preferred: 14, keys: view.shownKeys)
        var column = frame.put(DisplayWidth.pad(" ID", to: idWidth + 1), x: inner.x, y: inner.y, role: .label, limit: inner.maxX)
        for tier in matrix.tiers {
            column = frame.put(DisplayWidth.pad(DisplayWidth.truncate(tier.shortName, to: columnWidth - 1), to: columnWidth),
                               x: column, y: inner.y, role: tier.role, limit: inner.maxX)
        }
        let rowsByKey = Dictionary(matrix.rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let bodyRows = inner.height - 3
        if view.shownKeys.isEmpty {
            frame.put(" no row matches the filter · a shows all", x: inner.x, y: inner.y + 1, role: .muted, limit: inner.maxX)
        }
        for row in 0..<max(0, bodyRows) {
            let index = view.scroll + row
            guard index < view.shownKeys.count, let matrixRow = rowsByKey[view.shownKeys[index]] else { break }
            let y = inner.y + 1 + row
            var x = drawRowStart(&frame, matrixRow.key, y: y, x: inner.x, idWidth: idWidth, limit: inner.maxX,
                                 collides: !matrixRow.collisions.isEmpty)
            for cell in matrixRow.cells {
                let full = cell.state.symbol + " " + cell.state.word
                let words = DisplayWidth.of(full) < columnWidth ? full : cell.state.symbol
                x = frame.put(DisplayWidth.pad(words, to: columnWidth), x: x, y: y, role: cell.state.role, limit: inner.maxX)
            }
            if index == view.cursor {
                // Only the id takes the cursor's style, so the cells keep their roles.
                frame.restyle(Rect(x: inner.x, y: y, width: idWidth, height: 1), role: .selection)
            }
        }
        drawLegend(&frame, inner, TierMatrix.CellState.allCases.map { ($0.symbol, $0.word, $0.role) }
                   + [("⇄", "collision", .markerCollision)])
    }

    static func drawDeploymentComparison(_ frame: inout Frame, _ comparison: DeploymentComparison, _ view: CompareView,
                                         _ inner: Rect) {
        let (idWidth, columnWidth) = columnWidths(inner: inner, columns: comparison.deployments.count, preferred: 18, keys: view.shownKeys)
        var column = frame.put(DisplayWidth.pad(" ID", to: idWidth + 1), x: inner.x, y: inner.y, role: .label, limit: inner.maxX)
        for name in comparison.deployments {
            column = frame.put(DisplayWidth.pad(DisplayWidth.truncate(InertText.make(name), to: columnWidth - 1), to: columnWidth),
                               x: column, y: inner.y, role: .title, limit: inner.maxX)
        }
        let rowsByKey = Dictionary(comparison.rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        if view.shownKeys.isEmpty {
            frame.put(" no row matches the filter · a shows all", x: inner.x, y: inner.y + 1, role: .muted, limit: inner.maxX)
        }
        for row in 0..<max(0, inner.height - 3) {
            let index = view.scroll + row
            guard index < view.shownKeys.count, let comparisonRow = rowsByKey[view.shownKeys[index]] else { break }
            let y = inner.y + 1 + row
            var x = drawRowStart(&frame, comparisonRow.key, y: y, x: inner.x, idWidth: idWidth, limit: inner.maxX)
            for cell in comparisonRow.cells {
                var words = cell.state.symbol
                if columnWidth >= 8 {
                    switch cell.state {
                    case .missing: words += " missing"
                    case .same, .differs, .cannotTell:
                        words += " " + (cell.state == .same ? "same" : cell.state == .differs ? "differs" : "hidden")
                        + (cell.winner.map { " (\($0.shortName))" } ?? "")
                    }
                }
                x = frame.put(DisplayWidth.pad(DisplayWidth.truncate(words, to: columnWidth - 1), to: columnWidth),
                              x: x, y: y, role: cell.state.role, limit: inner.maxX)
            }
            if index == view.cursor {
                // Only the id takes the cursor's style, so the cells keep their roles.
                frame.restyle(Rect(x: inner.x, y: y, width: idWidth, height: 1), role: .selection)
            }
        }
        drawLegend(&frame, inner, [("=", "same as the first with a value", DeploymentComparison.CellState.same.role),
                                   ("≠", "differs", DeploymentComparison.CellState.differs.role),
                                   ("∅", "missing here", DeploymentComparison.CellState.missing.role)],
                   keys: "d differing · p missing somewhere · a all · Enter fields · Esc close")
    }

    /// Two lines: the symbols (folding onto the second line when they do not fit), then the keys.
    private static func drawLegend(_ frame: inout Frame, _ inner: Rect, _ items: [(symbol: String, word: String, role: StyleRole)],
                                   keys: String = "s shadowed · d differing · p problems · a all · Enter fields · Esc close") {
        var y = inner.maxY - 2
        var x = inner.x + 1
        var folded = false
        for item in items {
            let width = DisplayWidth.of(item.symbol + " " + item.word) + 2
            if x + width > inner.maxX, !folded {
                folded = true
                y += 1
                x = inner.x + 1
            }
            x = frame.put(item.symbol, x: x, y: y, role: item.role, limit: inner.maxX)
            x = frame.put(" " + item.word + "  ", x: x, y: y, role: .muted, limit: inner.maxX)
        }
        if !folded {
            frame.put(keys, x: inner.x + 1, y: inner.maxY - 1, role: .muted, limit: inner.maxX)
        }
    }

    static func drawCompareFields(_ frame: inout Frame, _ state: AppState, _ view: CompareView, _ key: SecretKey, _ rect: Rect) {
        let title = (key.kind == .connection ? "Fields of conn:" : "Value of var:") + InertText.make(key.id)
        frame.box(rect, title: title, focused: true,
                  titleSuffix: view.revealed ? "revealed · x masks" : "x reveals · Esc back")
        let inner = rect.inner
        let columns = view.fieldColumns(key)
        var header = StyledLine(" comparing ", .muted)
        for (index, column) in columns.enumerated() {
            if index > 0 { header.add(", ", .muted) }
            header.add(column.label, column.role)
        }
        if columns.isEmpty { header = StyledLine(" no tier holds a value for this key", .muted) }
        frame.put(header, x: inner.x, y: inner.y, limit: inner.maxX)
        let lines = FieldComparison.lines(columns, revealed: view.revealed)
        for row in 0..<max(0, inner.height - 2) {
            let index = view.fieldScroll + row
            guard lines.indices.contains(index) else { break }
            frame.put(" ", x: inner.x, y: inner.y + 2 + row, role: .text)
            frame.put(lines[index], x: inner.x + 1, y: inner.y + 2 + row, limit: inner.maxX)
        }
        if lines.count > inner.height - 2 + view.fieldScroll {
            frame.put(" ↓ more ", x: rect.maxX - 10, y: rect.maxY - 1, role: .muted, limit: rect.maxX - 1)
        }
    }
}
