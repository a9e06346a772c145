/// Builds typed rows from raw cells, column by column, as Airflow's model reads them. A cell
/// of the wrong kind makes the row a `MetastoreUnreadableRow` naming the column and what it
/// held; nothing here traps on what a database returns.
enum MetastoreRowDecoding {
    /// Cells in `MetastoreSchema.variableSelect` order: id, key, val, description, is_encrypted, team_name.
    static func variable(_ cells: [MetastoreCell]) -> Result<MetastoreVariableRow, MetastoreUnreadableRow> {
        var columns = Columns(cells: cells)
        let id = columns.id(0)
        let key = columns.name(1, "key")
        let val = columns.text(2, "val")
        let description = columns.text(3, "description")
        let encrypted = columns.flag(4, "is_encrypted")
        let team = columns.text(5, "team_name")
        guard columns.problems.isEmpty, let id, let key else {
            return .failure(MetastoreUnreadableRow(table: "variable", id: id, name: key, reason: columns.reason))
        }
        return .success(MetastoreVariableRow(id: id, key: key, val: val, description: description,
                                             isEncrypted: encrypted, teamName: team))
    }

    /// Cells in `MetastoreSchema.connectionSelect` order: id, conn_id, conn_type, description, host,
    /// schema, login, password, port, extra, is_encrypted, is_extra_encrypted, team_name.
    static func connection(_ cells: [MetastoreCell]) -> Result<MetastoreConnectionRow, MetastoreUnreadableRow> {
        var columns = Columns(cells: cells)
        let id = columns.id(0)
        let connID = columns.name(1, "conn_id")
        let connType = columns.text(2, "conn_type")
        let description = columns.text(3, "description")
        let host = columns.text(4, "host")
        let schema = columns.text(5, "schema")
        let login = columns.text(6, "login")
        let password = columns.text(7, "password")
        let port = columns.port(8)
        let extra = columns.text(9, "extra")
        let encrypted = columns.flag(10, "is_encrypted")
        let extraEncrypted = columns.flag(11, "is_extra_encrypted")
        let team = columns.text(12, "team_name")
        guard columns.problems.isEmpty, let id, let connID else {
            return .failure(MetastoreUnreadableRow(table: "connection", id: id, name: connID, reason: columns.reason))
        }
        return .success(MetastoreConnectionRow(
            id: id, connID: connID, connType: connType, description: description, host: host, schema: schema,
            login: login, password: password, port: port, extra: extra, isEncrypted: encrypted,
            isExtraEncrypted: extraEncrypted, teamName: team))
    }

    private struct Columns {
        var cells: [MetastoreCell]
        var problems: [String] = []

        var reason: String { problems.joined(separator: "; ") }

        private func cell(_ index: Int) -> MetastoreCell {
            cells.indices.contains(index) ? cells[index] : .null
        }

        mutating func id(_ index: Int) -> Int64? {
            if case .integer(let id) = cell(index) { return id }
            problems.append("id is \(cell(index).kindDescription), not a whole number")
            return nil
        }

        /// `key` / `conn_id`: text, or the row cannot be found by Airflow at all.
        mutating func name(_ index: Int, _ column: String) -> String? {
            switch cell(index) {
            case .text(let text): return text
            case .null: problems.append("\(column) is NULL, so Airflow can never look this row up")
            case let other: problems.append(Self.notText(column, other))
            }
            return nil
        }

        mutating func text(_ index: Int, _ column: String) -> String? {
            switch cell(index) {
            case .text(let text): return text
            case .null: return nil
            case let other:
                problems.append(Self.notText(column, other))
                return nil
            }
        }

        private static func notText(_ column: String, _ cell: MetastoreCell) -> String {
            if case .invalidText = cell { return "\(column) holds bytes that are not valid UTF-8" }
            return "\(column) is \(cell.kindDescription), not text"
        }

        /// Airflow takes any integer; a port Strata cannot hold as one makes the row unreadable.
        mutating func port(_ index: Int) -> Int? {
            switch cell(index) {
            case .null: return nil
            case .integer(let value):
                guard let port = Int(exactly: value) else {
                    problems.append("port is out of range")
                    return nil
                }
                return port
            case .real: problems.append("port is not a whole number (or too large for one)")
            case let other: problems.append("port is \(other.kindDescription), not a whole number")
            }
            return nil
        }

        /// SQLAlchemy's Boolean: NULL reads as not set; a whole number is true unless 0.
        mutating func flag(_ index: Int, _ column: String) -> Bool {
            switch cell(index) {
            case .null: return false
            case .integer(let value): return value != 0
            case let other:
                problems.append("\(column) is \(other.kindDescription), not a 0/1 flag")
                return false
            }
        }
    }
}
