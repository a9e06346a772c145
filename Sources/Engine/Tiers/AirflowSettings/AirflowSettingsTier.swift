import Foundation
import PythonCompat

/// An Astro project's `airflow_settings.yaml` as the metastore tier: what `astro dev start`
/// loads into the local metadata database. Keys are looked up by their exact id, as the
/// metastore does.
public struct AirflowSettingsTier: TierSource {
    public let fileURL: URL
    /// The parser for `conn_uri` entries (the metastore runs Airflow's server-side parser).
    public let dialect: ConnectionDialect
    public let descriptor: TierDescriptor

    public static let label = "airflow_settings.yaml (loaded into the metastore by astro dev start)"

    public init(fileURL: URL, dialect: ConnectionDialect) {
        self.fileURL = fileURL
        // The metastore is written and read by Airflow's server side: never the Task SDK parser.
        self.dialect = dialect == .sdk ? .core : dialect
        self.descriptor = TierDescriptor(tier: .metastore, label: Self.label, detail: fileURL.path)
    }

    public func lookupName(for key: SecretKey) -> LookupName { .name(key.id) }

    public func load() async throws -> TierSnapshot {
        try snapshot(of: AirflowSettingsFile.load(fileURL))
    }

    /// The tier's records for a settings file already parsed (what `load()` returns for it).
    public func snapshot(of settings: AirflowSettingsFile) -> TierSnapshot {
        var records: [TierRecord] = []
        var warnings: [String] = []
        var variableIndex: [String: Int] = [:]
        let path = fileURL.path
        records.reserveCapacity(settings.variables.count + settings.connections.count)
        variableIndex.reserveCapacity(settings.variables.count)
        for variable in settings.variables {
            var metadata = [("file", path), ("line", String(variable.line))]
            let state: EntryState
            if let problem = variable.problem {
                state = .unreadable(reason: problem)
                warnings.append("\(fileURL.path):\(variable.line): \(problem)")
            } else {
                state = .present(.variable(variable.value))
            }
            // `airflow variables set` twice: the later entry wins.
            if let previous = variableIndex[variable.name] {
                if let line = records[previous].metadataValue(forKey: "line") { metadata.append(("overrides_line", line)) }
                records[previous] = TierRecord(kind: .variable, name: variable.name, suggestedID: variable.name,
                                               state: state, rawText: variable.value, metadataPairs: metadata)
            } else {
                variableIndex[variable.name] = records.count
                records.append(TierRecord(kind: .variable, name: variable.name, suggestedID: variable.name,
                                          state: state, rawText: variable.value, metadataPairs: metadata))
            }
        }
        var seenConnections: Set<String> = []
        seenConnections.reserveCapacity(settings.connections.count)
        for entry in settings.connections {
            var metadata = [("file", path), ("line", String(entry.line))]
            if !entry.notes.isEmpty { metadata.append(("notes", entry.notes.joined(separator: "; "))) }
            // `airflow connections add` refuses an id that already exists: within one file the
            // first entry wins.
            guard seenConnections.insert(entry.connID).inserted else {
                warnings.append("\(fileURL.path):\(entry.line): connection '\(entry.connID)' is listed again; astro dev start keeps the first one")
                continue
            }
            let state: EntryState
            var exactReason: String?
            if let problem = entry.problem {
                state = .unreadable(reason: problem)
                warnings.append("\(fileURL.path):\(entry.line): \(problem)")
            } else {
                (state, exactReason) = connectionState(entry)
            }
            var record = TierRecord(kind: .connection, name: entry.connID, suggestedID: entry.connID,
                                    state: state, rawText: entry.uri.isEmpty ? nil : entry.uri,
                                    metadataPairs: metadata)
            record.exactReason = exactReason
            records.append(record)
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    /// The connection `airflow connections add` would store for the entry's flags.
    /// With the exact reason when the shown one had to be redacted.
    func connectionState(_ entry: AirflowSettingsFile.ConnectionEntry) -> (state: EntryState, exact: String?) {
        let usesFields = !entry.connType.isEmpty || !entry.host.isEmpty || !entry.login.isEmpty
            || !entry.password.isEmpty || !entry.schema.isEmpty || entry.port != 0
        if !usesFields && !entry.uri.isEmpty {
            return Self.connectionFromURI(entry.uri, extra: entry.extra.isEmpty ? nil : entry.extra, dialect: dialect)
        }
        return (fieldsConnectionState(entry), nil)
    }

    /// The connection of an entry given as separate fields.
    private func fieldsConnectionState(_ entry: AirflowSettingsFile.ConnectionEntry) -> EntryState {
        var connection = Connection(
            connType: entry.connType.isEmpty ? nil : entry.connType,
            host: entry.host.isEmpty ? nil : entry.host,
            login: entry.login.isEmpty ? nil : entry.login,
            password: entry.password.isEmpty ? nil : entry.password,
            schema: entry.schema.isEmpty ? nil : entry.schema,
            port: entry.port == 0 ? nil : entry.port)
        if !entry.extra.isEmpty {
            if dialect == .core, let problem = Self.extraProblem(entry.extra) {
                return .unreadable(reason: "conn_extra: \(problem); Airflow 3 refuses the connection")
            }
            connection.extra = entry.extra
        }
        return .present(.connection(connection))
    }

    /// Airflow 3's `_validate_extra` verdict on an extra text, without quoting it.
    static func extraProblem(_ extra: String) -> String? {
        do {
            let parsed = try PythonJSON.loads(extra).value
            if case .dict = parsed { return nil }
            return "it is JSON but not an object"
        } catch {
            return "it is not valid JSON"
        }
    }
}

extension AirflowSettingsTier {
    /// `airflow connections add --conn-uri` (plus `--conn-extra`, which replaces the URI's extra).
    /// With the exact reason when the shown one had to be redacted (the parser quoted the URI).
    static func connectionFromURI(_ uri: String, extra: String?, dialect: ConnectionDialect) -> (state: EntryState, exact: String?) {
        do {
            var connection = try ConnectionCodecBridge.parse(uri: uri, dialect: dialect)
            if let extra {
                if dialect == .core, let problem = extraProblem(extra) {
                    return (.unreadable(reason: "conn_extra: \(problem); Airflow 3 refuses the connection"), nil)
                }
                connection.extra = extra
                connection.verbatim["extra"] = nil
            }
            return (.present(.connection(connection)), nil)
        } catch {
            let (className, message) = ConnectionCodecBridge.describe(error)
            let text = SecretRedaction.error(className: className, message: message, input: uri)
            func reason(_ error: String) -> String { "conn_uri cannot be parsed (\(error)); astro dev start would fail to add it" }
            return (.unreadable(reason: reason(text.redacted)), text.wasRedacted ? reason(text.exact) : nil)
        }
    }
}
