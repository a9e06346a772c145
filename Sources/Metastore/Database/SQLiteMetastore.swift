import Foundation
import GRDB

/// Airflow's tables in a SQLite file, through GRDB. Reads open the file read-only; each call
/// opens and closes its own connection.
struct SQLiteMetastore: MetastoreDatabase {
    var path: String
    var context: ErrorContext
    /// How long to wait for another process's lock before reporting it.
    var busyTimeout: TimeInterval = 2

    func readAll() async throws -> MetastoreContents {
        let queue = try open(readOnly: true)
        do {
            return try await queue.read { db in
                let schema = try schema(db)
                if let problem = schema.problem() {
                    throw context.error(.notAirflowDatabase, problem, check: "check the deployment's `metastore` setting points at Airflow's database")
                }
                return MetastoreContents(variables: try variables(db, schema: schema, where: nil),
                                         connections: try connections(db, schema: schema, where: nil),
                                         isAirflow3Schema: schema.isAirflow3)
            }
        } catch let error as MetastoreError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    func apply(_ change: MetastoreChange) async throws -> MetastoreWriteResult {
        let queue = try open(readOnly: false)
        do {
            return try await queue.writeWithoutTransaction { db in
                var result: MetastoreWriteResult = .variable(nil)
                try db.inTransaction(.immediate) {
                    let schema = try schema(db)
                    if let problem = schema.problem() {
                        throw context.error(.notAirflowDatabase, problem, check: "check the deployment's `metastore` setting")
                    }
                    result = try apply(change, db, schema)
                    return .commit
                }
                return result
            }
        } catch let error as MetastoreError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    // MARK: Opening

    private func open(readOnly: Bool) throws -> DatabaseQueue {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw context.error(.unreachable, "does not exist", check: "check the path in the deployment's `metastore` setting (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)")
        }
        guard !isDirectory.boolValue else {
            throw context.error(.unreachable, "is a folder, not a database file", check: "point `metastore` at the airflow.db file inside it")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "strata.metastore"
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw translate(error)
        }
    }

    private func translate(_ error: Error) -> MetastoreError {
        if let error = error as? MetastoreError { return error }
        guard let error = error as? DatabaseError else {
            return context.error(.database, "could not be read (\(type(of: error)))")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return context.error(.locked, "is locked by another process (SQLite: \(error.message ?? "database is locked"))",
                                 check: "wait until Airflow (or the other program) finishes writing, or stop it, then try again")
        case .SQLITE_NOTADB:
            return context.error(.notAirflowDatabase, "is not a SQLite database",
                                 check: "check the deployment's `metastore` setting points at Airflow's airflow.db")
        case .SQLITE_CORRUPT:
            return context.error(.notAirflowDatabase, "is a damaged SQLite file", check: "restore it from a backup")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return context.error(.unreachable, "cannot be opened (\(error.message ?? "permission denied"))",
                                 check: "check the file and its folder are readable (and writable, to edit)")
        case .SQLITE_READONLY:
            return context.error(.unreachable, "is read-only (\(error.message ?? "readonly database"))",
                                 check: "check the file and its folder are writable, or edit a copy")
        default:
            return context.error(.database, "reported an error (SQLite: \(error.message ?? "code \(error.resultCode.rawValue)"))")
        }
    }

    // MARK: Reading

    private func schema(_ db: Database) throws -> MetastoreSchema {
        func columns(_ table: String) throws -> Set<String> {
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) ?? false
            guard exists else { return [] }
            return Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\"\(table)\")").map { ($0["name"] as String).lowercased() })
        }
        return MetastoreSchema(variableColumns: try columns("variable"), connectionColumns: try columns("connection"))
    }

    private func variables(_ db: Database, schema: MetastoreSchema, where key: String?) throws -> [MetastoreVariableRow] {
        var sql = schema.variableSelect
        var arguments: StatementArguments = []
        if let key {
            sql += " WHERE \"key\" = ?"
            arguments = [key]
        } else {
            sql += " ORDER BY \"id\""
        }
        var rows: [MetastoreVariableRow] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            rows.append(MetastoreVariableRow(id: row[0], key: row[1], val: row[2], description: row[3],
                                             isEncrypted: (row[4] as Bool?) ?? false, teamName: row[5]))
        }
        return rows
    }

    private func connections(_ db: Database, schema: MetastoreSchema, where connID: String?) throws -> [MetastoreConnectionRow] {
        var sql = schema.connectionSelect
        var arguments: StatementArguments = []
        if let connID {
            sql += " WHERE \"conn_id\" = ?"
            arguments = [connID]
        } else {
            sql += " ORDER BY \"id\""
        }
        var rows: [MetastoreConnectionRow] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            rows.append(MetastoreConnectionRow(
                id: row[0], connID: row[1], connType: row[2], description: row[3], host: row[4], schema: row[5],
                login: row[6], password: row[7], port: row[8], extra: row[9],
                isEncrypted: (row[10] as Bool?) ?? false, isExtraEncrypted: (row[11] as Bool?) ?? false, teamName: row[12]))
        }
        return rows
    }

    // MARK: Writing

    private func apply(_ change: MetastoreChange, _ db: Database, _ schema: MetastoreSchema) throws -> MetastoreWriteResult {
        let table = change.kind == "variable" ? "variable" : "connection"
        let keyColumn = change.kind == "variable" ? "key" : "conn_id"
        switch change {
        case .putVariable(let key, _, _), .deleteVariable(let key, _):
            let current = try variables(db, schema: schema, where: key).first
            if let conflict = change.conflict(currentFingerprint: current?.fingerprint) {
                throw context.plain(.conflict, conflict)
            }
            if case .putVariable(_, let v, _) = change {
                var values: [(String, (any DatabaseValueConvertible)?)] = [("val", v.val), ("is_encrypted", v.isEncrypted)]
                if schema.variableColumns.contains("description") { values.append(("description", v.description)) }
                try write(values, table: table, keyColumn: keyColumn, key: key, id: current?.id, db)
                return .variable(try variables(db, schema: schema, where: key).first)
            }
            if let current { try db.execute(sql: "DELETE FROM \"\(table)\" WHERE \"id\" = ?", arguments: [current.id]) }
            return .variable(nil)
        case .putConnection(let connID, _, _), .deleteConnection(let connID, _):
            let current = try connections(db, schema: schema, where: connID).first
            if let conflict = change.conflict(currentFingerprint: current?.fingerprint) {
                throw context.plain(.conflict, conflict)
            }
            if case .putConnection(_, let c, _) = change {
                var values: [(String, (any DatabaseValueConvertible)?)] = [
                    ("conn_type", c.connType), ("host", c.host), ("schema", c.schema), ("login", c.login),
                    ("password", c.password), ("port", c.port), ("extra", c.extra), ("is_encrypted", c.isEncrypted),
                ]
                if schema.connectionColumns.contains("description") { values.append(("description", c.description)) }
                if schema.connectionColumns.contains("is_extra_encrypted") { values.append(("is_extra_encrypted", c.isExtraEncrypted)) }
                try write(values, table: table, keyColumn: keyColumn, key: connID, id: current?.id, db)
                return .connection(try connections(db, schema: schema, where: connID).first)
            }
            if let current { try db.execute(sql: "DELETE FROM \"\(table)\" WHERE \"id\" = ?", arguments: [current.id]) }
            return .connection(nil)
        }
    }

    /// Updates row `id` in place, or inserts a new row under `key` when there is none.
    private func write(_ values: [(String, (any DatabaseValueConvertible)?)], table: String, keyColumn: String,
                       key: String, id: Int64?, _ db: Database) throws {
        if let id {
            let assignments = values.map { "\"\($0.0)\" = ?" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE \"\(table)\" SET \(assignments) WHERE \"id\" = ?",
                           arguments: StatementArguments(values.map { $0.1 } + [id]))
        } else {
            let names = values.map { "\"\($0.0)\"" } + ["\"\(keyColumn)\""]
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            try db.execute(sql: "INSERT INTO \"\(table)\" (\(names.joined(separator: ", "))) VALUES (\(placeholders))",
                           arguments: StatementArguments(values.map { $0.1 } + [key]))
        }
    }
}
