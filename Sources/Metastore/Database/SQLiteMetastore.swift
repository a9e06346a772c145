import Foundation
import Engine
import GRDB

/// Airflow's tables in a SQLite file, through GRDB. Reads open the file read-only; each call
/// opens and closes its own connection.
struct SQLiteMetastore: MetastoreDatabase {
    var path: String
    var context: ErrorContext
    /// The deployment's team (Airflow 3.2+ multi-team): a new row is stored with it as its
    /// `team_name`, and another team's row is never written.
    var team: String? = nil
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
                let variables = try variables(db, schema: schema, where: nil)
                let connections = try connections(db, schema: schema, where: nil)
                return MetastoreContents(variables: variables.rows, connections: connections.rows,
                                         unreadable: variables.unreadable + connections.unreadable,
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
        // SQLite would wait forever on a FIFO: only a regular file is opened.
        switch FileCheck.inspect(path) {
        case .regular:
            break
        case .missing:
            throw context.error(.unreachable, "does not exist", check: "check the path in the deployment's `metastore` setting (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)")
        case .directory:
            throw context.error(.unreachable, "is a folder, not a database file", check: "point `metastore` at the airflow.db file inside it")
        case let other:
            throw context.error(.unreachable, other.problem ?? "is not a regular file",
                                check: "point the deployment's `metastore` setting at Airflow's airflow.db file")
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

    private func variables(_ db: Database, schema: MetastoreSchema, where key: String?) throws -> MetastoreRows<MetastoreVariableRow> {
        var sql = schema.variableSelect
        var arguments: StatementArguments = []
        if let key {
            sql += " WHERE \"key\" = ?"
            arguments = [key]
        } else {
            sql += " ORDER BY \"id\""
        }
        var rows = MetastoreRows<MetastoreVariableRow>()
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            rows.add(MetastoreRowDecoding.variable(try Self.cells(row)))
        }
        return rows
    }

    private func connections(_ db: Database, schema: MetastoreSchema, where connID: String?) throws -> MetastoreRows<MetastoreConnectionRow> {
        var sql = schema.connectionSelect
        var arguments: StatementArguments = []
        if let connID {
            sql += " WHERE \"conn_id\" = ?"
            arguments = [connID]
        } else {
            sql += " ORDER BY \"id\""
        }
        var rows = MetastoreRows<MetastoreConnectionRow>()
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            rows.add(MetastoreRowDecoding.connection(try Self.cells(row)))
        }
        return rows
    }

    /// The row's values as they are stored, whatever their type. GRDB's typed subscripts trap on
    /// a value of another type, and its text decoding replaces bytes that are not UTF-8 (and
    /// stops at a NUL), where Python's driver fails: text is checked from its raw bytes.
    private static func cells(_ row: Row) throws -> [MetastoreCell] {
        var cells: [MetastoreCell] = []
        cells.reserveCapacity(row.count)
        for index in 0..<row.count {
            let value: DatabaseValue = row[index]
            switch value.storage {
            case .null: cells.append(.null)
            case .int64(let number): cells.append(.integer(number))
            case .double(let number): cells.append(.real(number))
            case .blob: cells.append(.blob)
            case .string(let lenient):
                let exact = try row.withUnsafeData(atIndex: index) { data -> String? in
                    guard let data else { return nil }
                    // The common case costs no second decoding: same length and no U+FFFD.
                    if data.count == lenient.utf8.count, !lenient.utf8.contains(0xEF) || !lenient.unicodeScalars.contains("\u{FFFD}") {
                        return lenient
                    }
                    return String(validating: data, as: UTF8.self)
                }
                cells.append(exact.map(MetastoreCell.text) ?? .invalidText)
            }
        }
        return cells
    }

    // MARK: Writing

    private func apply(_ change: MetastoreChange, _ db: Database, _ schema: MetastoreSchema) throws -> MetastoreWriteResult {
        let table = change.kind == "variable" ? "variable" : "connection"
        let keyColumn = change.kind == "variable" ? "key" : "conn_id"
        switch change {
        case .putVariable(let key, _, _), .deleteVariable(let key, _):
            let current = try variables(db, schema: schema, where: key).current(context: context, name: key)
            if let refusal = change.otherTeamRefusal(rowTeam: current?.teamName, team: team) {
                throw context.plain(.invalidValue, refusal)
            }
            if let conflict = change.conflict(currentFingerprint: current?.fingerprint) {
                throw context.plain(.conflict, conflict)
            }
            if case .putVariable(_, let v, _) = change {
                var values: [(String, (any DatabaseValueConvertible)?)] = [("val", v.val), ("is_encrypted", v.isEncrypted)]
                if schema.variableColumns.contains("description") { values.append(("description", v.description)) }
                if current == nil, let team, schema.variableColumns.contains("team_name") {
                    try requireTeam(team, db)
                    values.append(("team_name", team))
                }
                try write(values, table: table, keyColumn: keyColumn, key: key, id: current?.id, db)
                return .variable(try variables(db, schema: schema, where: key).rows.first)
            }
            if let current { try db.execute(sql: "DELETE FROM \"\(table)\" WHERE \"id\" = ?", arguments: [current.id]) }
            return .variable(nil)
        case .putConnection(let connID, _, _), .deleteConnection(let connID, _):
            let current = try connections(db, schema: schema, where: connID).current(context: context, name: connID)
            if let refusal = change.otherTeamRefusal(rowTeam: current?.teamName, team: team) {
                throw context.plain(.invalidValue, refusal)
            }
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
                if current == nil, let team, schema.connectionColumns.contains("team_name") {
                    try requireTeam(team, db)
                    values.append(("team_name", team))
                }
                try write(values, table: table, keyColumn: keyColumn, key: connID, id: current?.id, db)
                return .connection(try connections(db, schema: schema, where: connID).rows.first)
            }
            if let current { try db.execute(sql: "DELETE FROM \"\(table)\" WHERE \"id\" = ?", arguments: [current.id]) }
            return .connection(nil)
        }
    }

    /// Throws unless Airflow's `team` table holds `team` (a new row's `team_name` must name one).
    private func requireTeam(_ team: String, _ db: Database) throws {
        guard try db.tableExists("team") else { return }
        if try Row.fetchOne(db, sql: "SELECT 1 FROM \"team\" WHERE \"name\" = ?", arguments: [team]) == nil {
            throw context.plain(.invalidValue, MetastoreChange.missingTeam(team))
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
