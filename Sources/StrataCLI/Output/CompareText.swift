import Engine

/// The human forms of `strata compare`.
enum CompareText {
    static func render(_ matrix: TierMatrix, masking: Masking) -> String {
        var table = TextTable(header: ["KIND", "ID"] + matrix.tiers.map { $0.rawValue.uppercased() } + ["DIFFERS IN"])
        for row in matrix.rows {
            let cells = row.cells.map { cell -> String in
                var text = "\(cell.state.symbol) \(cell.state.rawValue)"
                if masking == .revealed, let value = cell.value { text += " " + summary(value) }
                return text
            }
            let fields = Set(row.cells.flatMap(\.differingFields)).sorted().map(\.description).joined(separator: ",")
            table.add([row.key.kind == .variable ? "VAR" : "CONN", row.key.id] + cells + [fields])
        }
        return table.render() + "\n\nlegend: " + TierMatrix.CellState.allCases.map { "\($0.symbol) \($0.rawValue)" }.joined(separator: "  ")
    }

    static func render(_ comparison: DeploymentComparison, masking: Masking) -> String {
        var table = TextTable(header: ["KIND", "ID"] + comparison.deployments.map { $0.uppercased() } + ["DIFFERS IN"])
        for row in comparison.rows {
            let cells = row.cells.map { cell -> String in
                switch cell.state {
                case .missing: return "· missing"
                case .same: return "= \(cell.winner?.rawValue ?? "")" + (masking == .revealed ? " " + (cell.value.map(summary) ?? "") : "")
                case .differs: return "≠ \(cell.winner?.rawValue ?? "")" + (masking == .revealed ? " " + (cell.value.map(summary) ?? "") : "")
                case .cannotTell: return "≟ \(cell.winner?.rawValue ?? "") (hidden by the source)"
                }
            }
            let fields = Set(row.cells.flatMap(\.differingFields)).sorted().map(\.description).joined(separator: ",")
            table.add([row.key.kind == .variable ? "VAR" : "CONN", row.key.id] + cells + [fields])
        }
        return table.render()
    }

    static func summary(_ value: TierValue) -> String {
        switch value {
        case .variable(let text): return text
        case .connection(let c):
            return [c.connType, c.login, c.password, c.host, c.port.map(String.init), c.schema]
                .compactMap { $0 }.joined(separator: " ")
        }
    }
}
