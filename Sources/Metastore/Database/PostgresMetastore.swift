import Foundation
import Engine
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Airflow's tables in PostgreSQL, through postgres-nio. Each call opens its own connection
/// and closes it; TLS follows the URL's `sslmode` as libpq does.
struct PostgresMetastore: MetastoreDatabase {
    var location: PostgresLocation
    var context: ErrorContext
    /// `[database] sql_alchemy_schema`, when Airflow's tables live outside the search path.
    var tableSchema: String?
    /// The deployment's team (Airflow 3.2+ multi-team): a new row is stored with it as its
    /// `team_name`, and another team's row is never written.
    var team: String? = nil
    var connectTimeout: TimeAmount = .seconds(5)

    private static let logger = Logger(label: "strata.metastore.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    func readAll() async throws -> MetastoreContents {
        try await withConnection { connection in
            let schema = try await schema(connection)
            if let problem = schema.problem() {
                throw context.error(.notAirflowDatabase, problem, check: "check the database name in the deployment's `metastore` setting")
            }
            let variables = try await variables(connection, schema: schema, where: nil)
            let connections = try await connections(connection, schema: schema, where: nil)
            return MetastoreContents(variables: variables.rows, connections: connections.rows,
                                     unreadable: variables.unreadable + connections.unreadable,
                                     isAirflow3Schema: schema.isAirflow3)
        }
    }

    func apply(_ change: MetastoreChange) async throws -> MetastoreWriteResult {
        try await withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL READ COMMITTED", logger: Self.logger)
            do {
                let schema = try await schema(connection)
                if let problem = schema.problem() {
                    throw context.error(.notAirflowDatabase, problem, check: "check the database name in the deployment's `metastore` setting")
                }
                let result = try await apply(change, connection, schema)
                try await connection.query("COMMIT", logger: Self.logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: Self.logger)
                throw error
            }
        }
    }

    // MARK: Connecting

    private func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try configuration(), id: 1, logger: Self.logger)
        } catch let error as MetastoreError {
            throw error
        } catch {
            throw translate(error, connecting: true)
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch let error as MetastoreError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            throw translate(error, connecting: false)
        }
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            let path = socket.hasSuffix(".s.PGSQL.\(location.port)") ? socket : socket + "/.s.PGSQL.\(location.port)"
            configuration = .init(unixSocketPath: path, username: location.username, password: location.password,
                                  database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.username,
                                  password: location.password, database: location.database, tls: try tls())
        }
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case "disable": return .disable
        case "verify-full": tls.certificateVerification = .fullVerification
        case "verify-ca": tls.certificateVerification = .noHostnameVerification
        default: tls.certificateVerification = .none // libpq: require/prefer/allow encrypt without verifying
        }
        if let root = location.sslRootCertificate {
            // BoringSSL would block on a FIFO: only a regular file is handed over.
            let check = FileCheck.inspect(root)
            guard check.isRegular else {
                throw self.context.error(.configuration, "has sslrootcert=\(root), which \(check.problem ?? "is not a regular file")",
                                         check: "point sslrootcert at a readable PEM file")
            }
            tls.trustRoots = .file(root)
        }
        do {
            let context = try NIOSSLContext(configuration: tls)
            return location.sslMode == "require" || location.sslMode.hasPrefix("verify") ? .require(context) : .prefer(context)
        } catch {
            throw self.context.error(.configuration, "has TLS settings that cannot be used (\(type(of: error)))",
                                     check: "check sslrootcert names a readable PEM file")
        }
    }

    private func translate(_ error: Error, connecting: Bool) -> MetastoreError {
        let server = "\(location.host):\(location.port)"
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                let serverMessage = error.serverInfo?[.message] ?? ""
                switch state {
                case "28P01", "28000":
                    return context.error(.authentication, "refused the login of user '\(location.username)' (\(serverMessage))",
                                         check: "check the user name and password in the `metastore` URL")
                case "3D000":
                    return context.error(.unreachable, "has no database '\(location.database ?? location.username)'",
                                         check: "check the database name in the `metastore` URL")
                case "42501":
                    return context.error(.authentication, "denied access (\(serverMessage))",
                                         check: "grant user '\(location.username)' SELECT (and, to edit, INSERT, UPDATE, DELETE) on the variable and connection tables")
                case "23505":
                    return context.error(.conflict, "already holds a row with that key (created by someone else meanwhile); nothing was written",
                                         check: "reload and try again")
                case "57P03", "53300":
                    return context.error(.unreachable, "is not accepting connections (\(serverMessage))", check: "try again later")
                default:
                    return context.error(.database, "reported an error (PostgreSQL \(state): \(serverMessage))")
                }
            }
            switch error.code {
            case .sslUnsupported:
                return context.error(.unreachable, "at \(server) does not support TLS, but the URL asks for sslmode=\(location.sslMode)",
                                     check: "enable ssl on the server or change sslmode")
            case .authMechanismRequiresPassword:
                return context.error(.authentication, "needs a password for user '\(location.username)'",
                                     check: "add the password to the `metastore` URL (postgresql://user:password@host/db)")
            case .unsupportedAuthMechanism, .saslError:
                return context.error(.authentication, "refused the login of user '\(location.username)'",
                                     check: "check the user name and password in the `metastore` URL")
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .failedToAddSSLHandler:
                if let underlying = error.underlying, Self.isTLSFailure(underlying) {
                    return tlsFailure(underlying)
                }
                if connecting || error.code == .connectionError {
                    var detail = ""
                    if let underlying = error.underlying { detail = " (\(Self.describe(underlying)))" }
                    return context.error(.unreachable, "at \(location.socketPath ?? server) cannot be reached\(detail)",
                                         check: "check the server is running and the host and port in the `metastore` URL")
                }
                return context.error(.unreachable, "closed the connection", check: "check the server is running")
            default:
                return context.error(.database, "reported an error (\(error.code))")
            }
        }
        if Self.isTLSFailure(error) {
            return tlsFailure(error)
        }
        if connecting {
            return context.error(.unreachable, "at \(server) cannot be reached (\(Self.describe(error)))",
                                 check: "check the server is running and the host and port in the `metastore` URL")
        }
        return context.error(.database, "reported an error (\(type(of: error)))")
    }

    private static func isTLSFailure(_ error: Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    private func tlsFailure(_ error: Error) -> MetastoreError {
        let verifying = location.sslMode.hasPrefix("verify")
        return context.error(.unreachable, "at \(location.host):\(location.port) failed the TLS handshake (\(type(of: error))\(verifying ? ": the server's certificate is not trusted for sslmode=\(location.sslMode)" : ""))",
                             check: verifying ? "give the CA certificate with sslrootcert=/path/ca.pem, or use sslmode=require to encrypt without verifying"
                                              : "check the server's TLS setup and the sslmode in the `metastore` URL")
    }

    /// A short, secret-free description of a transport error.
    private static func describe(_ error: Error) -> String {
        if let error = error as? IOError { return "\(error.errnoCode == ECONNREFUSED ? "connection refused" : "I/O error \(error.errnoCode)")" }
        if error is NIOConnectionError { return "connection refused" }
        if let error = error as? ChannelError, case .connectTimeout = error { return "timed out" }
        return String(describing: type(of: error))
    }

    // MARK: Reading

    private var tablePrefix: String {
        guard let tableSchema, !tableSchema.isEmpty else { return "" }
        return "\"\(tableSchema.replacingOccurrences(of: "\"", with: "\"\""))\"."
    }

    private func schema(_ connection: PostgresConnection) async throws -> MetastoreSchema {
        let schemaName = tableSchema.flatMap { $0.isEmpty ? nil : $0 }
        let query: PostgresQuery = schemaName.map { name in
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = \(name) AND table_name IN ('variable', 'connection')"
        } ?? "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN ('variable', 'connection')"
        var schema = MetastoreSchema(variableColumns: [], connectionColumns: [], tablePrefix: tablePrefix)
        for try await (table, column) in try await connection.query(query, logger: Self.logger).decode((String, String).self) {
            if table == "variable" { schema.variableColumns.insert(column.lowercased()) } else { schema.connectionColumns.insert(column.lowercased()) }
        }
        return schema
    }

    private func variables(_ connection: PostgresConnection, schema: MetastoreSchema, where key: String?) async throws -> MetastoreRows<MetastoreVariableRow> {
        var query = PostgresQuery(unsafeSQL: schema.variableSelect + " ORDER BY \"id\"")
        if let key {
            var bindings = PostgresBindings()
            bindings.append(key)
            query = PostgresQuery(unsafeSQL: schema.variableSelect + " WHERE \"key\" = $1 FOR UPDATE", binds: bindings)
        }
        var rows = MetastoreRows<MetastoreVariableRow>()
        let sequence = try await connection.query(query, logger: Self.logger)
        for try await row in sequence {
            rows.add(MetastoreRowDecoding.variable(row.map(Self.cell)))
        }
        return rows
    }

    private func connections(_ connection: PostgresConnection, schema: MetastoreSchema, where connID: String?) async throws -> MetastoreRows<MetastoreConnectionRow> {
        var query = PostgresQuery(unsafeSQL: schema.connectionSelect + " ORDER BY \"id\"")
        if let connID {
            var bindings = PostgresBindings()
            bindings.append(connID)
            query = PostgresQuery(unsafeSQL: schema.connectionSelect + " WHERE \"conn_id\" = $1 FOR UPDATE", binds: bindings)
        }
        var rows = MetastoreRows<MetastoreConnectionRow>()
        let sequence = try await connection.query(query, logger: Self.logger)
        for try await row in sequence {
            rows.add(MetastoreRowDecoding.connection(row.map(Self.cell)))
        }
        return rows
    }

    /// A stored value, whatever its type: a NULL or a value of an unexpected type becomes a
    /// cell `MetastoreRowDecoding` judges, not a decoding error that would fail the whole read.
    private static func cell(_ cell: PostgresCell) -> MetastoreCell {
        guard let bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .text, .varchar, .bpchar, .name:
            // Both wire formats carry text as its bytes; a SQL_ASCII database may hold any bytes.
            return String(validating: bytes.readableBytesView, as: UTF8.self).map(MetastoreCell.text) ?? .invalidText
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map(MetastoreCell.integer) ?? .other(cell.dataType.description)
        case .bool:
            return (try? cell.decode(Bool.self)).map { MetastoreCell.integer($0 ? 1 : 0) } ?? .other("boolean")
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(MetastoreCell.real) ?? .other(cell.dataType.description)
        case .bytea:
            return .blob
        default:
            return .other(cell.dataType.description)
        }
    }

    // MARK: Writing

    private func apply(_ change: MetastoreChange, _ connection: PostgresConnection, _ schema: MetastoreSchema) async throws -> MetastoreWriteResult {
        switch change {
        case .putVariable(let key, _, _), .deleteVariable(let key, _):
            let current = try await variables(connection, schema: schema, where: key).current(context: context, name: key)
            if let refusal = change.otherTeamRefusal(rowTeam: current?.teamName, team: team) {
                throw context.plain(.invalidValue, refusal)
            }
            if let conflict = change.conflict(currentFingerprint: current?.fingerprint) {
                throw context.plain(.conflict, conflict)
            }
            if case .putVariable(_, let v, _) = change {
                var values: [(String, SQLValue)] = [("val", .text(v.val)), ("is_encrypted", .flag(v.isEncrypted))]
                if schema.variableColumns.contains("description") { values.append(("description", .text(v.description))) }
                if current == nil, let team, schema.variableColumns.contains("team_name") {
                    try await requireTeam(team, schema: schema, connection)
                    values.append(("team_name", .text(team)))
                }
                try await write(values, table: "variable", keyColumn: "key", key: key, id: current?.id, schema: schema, connection)
                return .variable(try await variables(connection, schema: schema, where: key).rows.first)
            }
            if let current { try await delete(table: "variable", id: current.id, schema: schema, connection) }
            return .variable(nil)
        case .putConnection(let connID, _, _), .deleteConnection(let connID, _):
            let current = try await connections(connection, schema: schema, where: connID).current(context: context, name: connID)
            if let refusal = change.otherTeamRefusal(rowTeam: current?.teamName, team: team) {
                throw context.plain(.invalidValue, refusal)
            }
            if let conflict = change.conflict(currentFingerprint: current?.fingerprint) {
                throw context.plain(.conflict, conflict)
            }
            if case .putConnection(_, let c, _) = change {
                var values: [(String, SQLValue)] = [
                    ("conn_type", .text(c.connType)), ("host", .text(c.host)), ("schema", .text(c.schema)),
                    ("login", .text(c.login)), ("password", .text(c.password)), ("port", .integer(c.port)),
                    ("extra", .text(c.extra)), ("is_encrypted", .flag(c.isEncrypted)),
                ]
                if schema.connectionColumns.contains("description") { values.append(("description", .text(c.description))) }
                if schema.connectionColumns.contains("is_extra_encrypted") { values.append(("is_extra_encrypted", .flag(c.isExtraEncrypted))) }
                if current == nil, let team, schema.connectionColumns.contains("team_name") {
                    try await requireTeam(team, schema: schema, connection)
                    values.append(("team_name", .text(team)))
                }
                try await write(values, table: "connection", keyColumn: "conn_id", key: connID, id: current?.id, schema: schema, connection)
                return .connection(try await connections(connection, schema: schema, where: connID).rows.first)
            }
            if let current { try await delete(table: "connection", id: current.id, schema: schema, connection) }
            return .connection(nil)
        }
    }

    private func write(_ values: [(String, SQLValue)], table: String, keyColumn: String, key: String,
                       id: Int64?, schema: MetastoreSchema, _ connection: PostgresConnection) async throws {
        var bindings = PostgresBindings()
        for (_, value) in values {
            switch value {
            case .text(let text): bindings.append(text)
            case .integer(let number):
                // Ports are int4 columns: a larger number is refused, never truncated (or trapped on).
                if let number, Int32(exactly: number) == nil {
                    throw context.plain(.invalidValue, "port \(number) does not fit the metastore's INTEGER column; nothing was written — use a port from 0 to 65535")
                }
                bindings.append(number.map { Int32(truncatingIfNeeded: $0) })
            case .flag(let flag): bindings.append(flag)
            }
        }
        let sql: String
        if let id {
            let assignments = values.enumerated().map { "\"\($0.element.0)\" = $\($0.offset + 1)" }.joined(separator: ", ")
            bindings.append(Int(id))
            sql = "UPDATE \(schema.tablePrefix)\"\(table)\" SET \(assignments) WHERE \"id\" = $\(values.count + 1)"
        } else {
            bindings.append(key)
            let names = (values.map { "\"\($0.0)\"" } + ["\"\(keyColumn)\""]).joined(separator: ", ")
            let placeholders = (1...(values.count + 1)).map { "$\($0)" }.joined(separator: ", ")
            sql = "INSERT INTO \(schema.tablePrefix)\"\(table)\" (\(names)) VALUES (\(placeholders))"
        }
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: Self.logger)
    }

    /// Throws unless Airflow's `team` table holds `team` (a new row's `team_name` must name one).
    private func requireTeam(_ team: String, schema: MetastoreSchema, _ connection: PostgresConnection) async throws {
        var bindings = PostgresBindings()
        bindings.append(team)
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(schema.tablePrefix)\"team\" WHERE \"name\" = $1",
                                                            binds: bindings), logger: Self.logger)
        var found = false
        for try await _ in rows { found = true }
        if !found { throw context.plain(.invalidValue, MetastoreChange.missingTeam(team)) }
    }

    private func delete(table: String, id: Int64, schema: MetastoreSchema, _ connection: PostgresConnection) async throws {
        var bindings = PostgresBindings()
        bindings.append(Int(id))
        try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(schema.tablePrefix)\"\(table)\" WHERE \"id\" = $1", binds: bindings),
                                   logger: Self.logger)
    }
}

/// A column value to bind; ports are INTEGER (int4) columns.
private enum SQLValue {
    case text(String?)
    case integer(Int?)
    case flag(Bool)
}
