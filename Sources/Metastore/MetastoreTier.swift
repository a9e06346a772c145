import Engine
import Foundation

/// The metastore tier of a deployment: Airflow's `variable` and `connection` tables in SQLite
/// or PostgreSQL, decrypted with the deployment's Fernet key(s).
public struct MetastoreTier: TierSource {
    public let descriptor: TierDescriptor
    public let deploymentName: String
    public let location: MetastoreLocation
    public let decoder: MetastoreDecoder
    /// The team lookups are made for: Airflow 3 selects rows whose `team_name` is it or NULL.
    public let team: String?
    let database: any MetastoreDatabase

    /// The tier for `deployment`. Throws `MetastoreError` (`.configuration`) when the deployment
    /// names no metastore or its URL cannot be used.
    public init(deployment: Deployment) throws {
        guard let url = Self.metastoreURL(for: deployment) else {
            throw MetastoreError(.configuration, "deployment '\(deployment.name)': no metastore is configured; set `metastore` in the workspace file or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN in its environment")
        }
        let fromEnvironment = deployment.metastoreURL == nil
        let location: MetastoreLocation
        do {
            location = try MetastoreLocation.parse(url, resolveRelative: { path in
                // SQLAlchemy's sqlite:///relative.db is relative to Airflow's working directory; the
                // workspace file already made its own `metastore` paths absolute (sqlite:///abs).
                fromEnvironment ? deployment.localPath(path).path : "/" + path
            })
        } catch let error as MetastoreURLError {
            let source = fromEnvironment ? Self.environmentURLName(for: deployment) ?? "metastore" : "metastore"
            throw MetastoreError(.configuration, "deployment '\(deployment.name)': \(error) (from \(source))")
        }
        var resolved = location
        if case .sqlite(let path) = location, fromEnvironment {
            resolved = .sqlite(path: deployment.localPath(path).path)
        }
        let schemaName = deployment.environment["AIRFLOW__DATABASE__SQL_ALCHEMY_SCHEMA"]
        self.init(name: deployment.name, location: resolved,
                  decoder: MetastoreDecoder(fernet: FernetSetting(deployment: deployment), airflowVersion: deployment.airflowVersion),
                  tableSchema: schemaName, team: deployment.teamLookup.team)
    }

    /// A tier for an explicit database and key setting (tests, tools).
    public init(name: String, location: MetastoreLocation, decoder: MetastoreDecoder, tableSchema: String? = nil,
                team: String? = nil) {
        self.deploymentName = name
        self.team = team
        self.location = location
        self.decoder = decoder
        self.descriptor = TierDescriptor(tier: .metastore, label: "metastore (\(location.dialect))", detail: location.redactedURL)
        let context = ErrorContext(deployment: name, location: location.redactedURL)
        switch location {
        case .sqlite(let path): database = SQLiteMetastore(path: path, context: context, team: team)
        case .postgres(let postgres): database = PostgresMetastore(location: postgres, context: context, tableSchema: tableSchema, team: team)
        }
    }

    /// The metastore URL of `deployment`: its `metastore` setting, else `sql_alchemy_conn` from
    /// its environment (`AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`, Airflow 2's `AIRFLOW__CORE__SQL_ALCHEMY_CONN`).
    public static func metastoreURL(for deployment: Deployment) -> String? {
        if let url = deployment.metastoreURL, !url.isEmpty { return url }
        return environmentURLName(for: deployment).flatMap { deployment.environment[$0] }
    }

    static func environmentURLName(for deployment: Deployment) -> String? {
        ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CORE__SQL_ALCHEMY_CONN"].first {
            !(deployment.environment[$0] ?? "").isEmpty
        }
    }

    public func lookupName(for key: SecretKey) -> LookupName {
        // Airflow queries `key` / `conn_id` exactly, whatever the id looks like.
        .name(key.id)
    }

    public func load() async throws -> TierSnapshot {
        let readout: MetastoreReadout
        do {
            readout = try await read()
        } catch let error as MetastoreError {
            throw error.tierError
        }
        return readout.snapshot
    }

    /// Every row, decoded, with Airflow's own answer for each — for the detail pane, comparisons
    /// and the editor (whose writes expect the rows as read here).
    public func read() async throws -> MetastoreReadout {
        let contents = try await database.readAll()
        let decoder = decoder
        let team = self.team
        let variableRecords = contents.variables.concurrentMap { row in
            Self.scoped(decoder.record(for: row), rowTeam: row.teamName, team: team)
        }
        let connectionRecords = contents.connections.concurrentMap { row in
            Self.scoped(decoder.record(for: row), rowTeam: row.teamName, team: team)
        }
        var warnings: [String] = []
        if let warning = decoder.fernet.warning { warnings.append("deployment '\(deploymentName)': \(warning)") }
        if contents.isAirflow3Schema != (decoder.airflowVersion == .v3) {
            warnings.append("deployment '\(deploymentName)': the metastore has an Airflow \(contents.isAirflow3Schema ? 3 : 2) schema but the deployment is set to Airflow \(decoder.airflowVersion.rawValue)")
        }
        var unreadableRecords: [TierRecord] = []
        for row in contents.unreadable {
            guard let name = row.name else {
                // No key to list it under: Airflow can never find it either.
                warnings.append("deployment '\(deploymentName)': the metastore's \(row.rowDescription) cannot be read: \(row.reason)")
                continue
            }
            var metadata: [String: String] = [:]
            if let id = row.id { metadata["row_id"] = String(id) }
            unreadableRecords.append(TierRecord(
                kind: row.table == "variable" ? .variable : .connection, name: name, suggestedID: name,
                state: .unreadable(reason: "the \(row.rowDescription) does not fit Airflow's model: \(row.reason)"),
                metadata: metadata))
        }
        return MetastoreReadout(variables: contents.variables, connections: contents.connections,
                                variableRecords: variableRecords, connectionRecords: connectionRecords,
                                unreadableRows: contents.unreadable, unreadableRecords: unreadableRecords,
                                isAirflow3Schema: contents.isAirflow3Schema, warnings: warnings)
    }
}

/// What one read of the metastore found.
public struct MetastoreReadout: Sendable {
    public var variables: [MetastoreVariableRow]
    public var connections: [MetastoreConnectionRow]
    /// One record per row, in the same order as the rows.
    public var variableRecords: [TierRecord]
    public var connectionRecords: [TierRecord]
    /// Rows that do not fit Airflow's model (a NULL key, a text port, bytes that are not UTF-8…).
    public var unreadableRows: [MetastoreUnreadableRow] = []
    /// An `unreadable` record for each of those rows that has a readable key or conn_id.
    public var unreadableRecords: [TierRecord] = []
    public var isAirflow3Schema: Bool
    public var warnings: [String]

    public var snapshot: TierSnapshot {
        TierSnapshot(records: connectionRecords + variableRecords + unreadableRecords, warnings: warnings)
    }

    public func variable(_ key: String) -> MetastoreVariableRow? { variables.first { $0.key == key } }
    public func connection(_ connID: String) -> MetastoreConnectionRow? { connections.first { $0.connID == connID } }
}

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores; order is kept. Decrypting is CPU-bound.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let chunkSize = 2048
        guard count > chunkSize else { return map(transform) }
        let chunks = (count + chunkSize - 1) / chunkSize
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedBuffer(buffer: buffer)
            self.withUnsafeBufferPointer { input in
                let source = UncheckedInput(buffer: input)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let start = chunk * chunkSize
                    let end = Swift.min(start + chunkSize, source.buffer.count)
                    for index in start..<end { output.buffer[index] = transform(source.buffer[index]) }
                }
            }
        }
        return results.map { $0! }
    }
}

/// Disjoint chunks of one buffer are written from several threads; no two touch the same slot.
private struct UncheckedBuffer<T>: @unchecked Sendable { let buffer: UnsafeMutableBufferPointer<T?> }
private struct UncheckedInput<T>: @unchecked Sendable { let buffer: UnsafeBufferPointer<T> }
