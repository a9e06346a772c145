/// The columns the `variable` and `connection` tables have in this database. Airflow 2 has no
/// `team_name`; older 2.x schemas may lack a description or flag column, which then read as
/// NULL / false.
struct MetastoreSchema: Sendable, Hashable {
    var variableColumns: Set<String>
    var connectionColumns: Set<String>
    /// `schema.` prefix for a PostgreSQL `sql_alchemy_schema`, or "".
    var tablePrefix: String = ""

    static let requiredVariableColumns: [String] = ["id", "key", "val", "is_encrypted"]
    static let requiredConnectionColumns: [String] = ["id", "conn_id", "conn_type", "password", "is_encrypted"]

    /// Why the tables cannot be read, or nil.
    func problem() -> String? {
        var missingTables: [String] = []
        if variableColumns.isEmpty { missingTables.append("variable") }
        if connectionColumns.isEmpty { missingTables.append("connection") }
        if !missingTables.isEmpty {
            let list = missingTables.map { "`\($0)`" }.joined(separator: " and ")
            return "has no \(list) table\(missingTables.count > 1 ? "s" : ""), so it is not an Airflow metadata database (or `airflow db migrate` has not run on it)"
        }
        let missingVariable = Self.requiredVariableColumns.filter { !variableColumns.contains($0) }
        let missingConnection = Self.requiredConnectionColumns.filter { !connectionColumns.contains($0) }
        if !missingVariable.isEmpty || !missingConnection.isEmpty {
            let names = missingVariable.map { "variable.\($0)" } + missingConnection.map { "connection.\($0)" }
            return "lacks the column\(names.count > 1 ? "s" : "") \(names.joined(separator: ", ")), so it is not an Airflow 2 or 3 metadata database"
        }
        return nil
    }

    private func column(_ name: String, in columns: Set<String>) -> String {
        columns.contains(name) ? "\"\(name)\"" : "NULL"
    }

    /// id, key, val, description, is_encrypted, team_name
    var variableSelect: String {
        let c = variableColumns
        return "SELECT \"id\", \"key\", \"val\", \(column("description", in: c)), \"is_encrypted\", \(column("team_name", in: c)) FROM \(tablePrefix)\"variable\""
    }

    /// id, conn_id, conn_type, description, host, schema, login, password, port, extra,
    /// is_encrypted, is_extra_encrypted, team_name
    var connectionSelect: String {
        let c = connectionColumns
        let names = ["description", "host", "schema", "login"].map { column($0, in: c) }.joined(separator: ", ")
        return "SELECT \"id\", \"conn_id\", \"conn_type\", \(names), \"password\", \(column("port", in: c)), \(column("extra", in: c)), \"is_encrypted\", \(column("is_extra_encrypted", in: c)), \(column("team_name", in: c)) FROM \(tablePrefix)\"connection\""
    }

    var isAirflow3: Bool { variableColumns.contains("team_name") }
}
