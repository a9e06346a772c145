import Foundation
import PythonCompat

/// Airflow's `LocalFilesystemBackend` as a tier: variables and connections from the files named
/// by `variables_file_path` / `connections_file_path`. Either may be absent; that kind is then
/// never found here. Keys are looked up by their exact id.
public struct LocalFilesystemTier: TierSource {
    public let variablesFile: URL?
    public let connectionsFile: URL?
    /// The process context's dialect (Airflow 3 still parses these files with the core parser).
    public let dialect: ConnectionDialect
    public let descriptor: TierDescriptor

    public static let className = "airflow.secrets.local_filesystem.LocalFilesystemBackend"

    public init(variablesFile: URL?, connectionsFile: URL?, dialect: ConnectionDialect, tier: TierID = .backend) {
        self.variablesFile = variablesFile
        self.connectionsFile = connectionsFile
        self.dialect = dialect
        let files = [variablesFile, connectionsFile].compactMap { $0?.path }
        self.descriptor = TierDescriptor(tier: tier, label: "local files",
                                         detail: files.isEmpty ? "no files configured" : files.joined(separator: ", "))
    }

    /// The backend as configured by `backend_kwargs`, paths resolved as Airflow in the
    /// deployment would open them. Unknown kwargs make Airflow fail at start-up (`TypeError`).
    public init(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                dialect: ConnectionDialect) throws {
        let allowed: Set<String> = ["variables_file_path", "connections_file_path", "configs_file_path"]
        if let unknown = configuration.kwargs.keys.first(where: { !allowed.contains($0) }) {
            throw TierError("backend_kwargs has '\(unknown)', which LocalFilesystemBackend does not accept (Airflow fails to start with a TypeError); use variables_file_path, connections_file_path or configs_file_path")
        }
        func path(_ name: String) throws -> URL? {
            switch configuration.kwargs[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text.isEmpty ? nil : deployment.localPath(text)
            default: throw TierError("backend_kwargs \(name) must be a string path")
            }
        }
        self.init(variablesFile: try path("variables_file_path"), connectionsFile: try path("connections_file_path"),
                  dialect: dialect, tier: tier)
    }

    var rules: LocalFilesystemFile.Rules { dialect == .airflow2 ? .airflow2 : .current }

    public func lookupName(for key: SecretKey) -> LookupName {
        switch key.kind {
        case .variable where variablesFile == nil:
            return .skipped(reason: "no variables_file_path configured")
        case .connection where connectionsFile == nil:
            return .skipped(reason: "no connections_file_path configured")
        default:
            return .name(key.id)
        }
    }

    public func load() async throws -> TierSnapshot {
        // The two files are independent: parse them side by side. A failing variables file
        // is still the error reported, as when they were read one after the other.
        async let variables = Result { try variableRecords() }
        async let connections = Result { try connectionRecords() }
        let (variablePart, connectionPart) = try await (variables.get(), connections.get())
        var records = variablePart.records
        records.append(contentsOf: connectionPart.records)
        return TierSnapshot(records: records, warnings: variablePart.warnings + connectionPart.warnings)
    }

    private func variableRecords() throws -> (records: [TierRecord], warnings: [String]) {
        guard let file = variablesFile else { return ([], []) }
        var records: [TierRecord] = []
        var warnings: [String] = []
        let path = file.path
        let (text, format) = try failing(file) { try LocalFilesystemFile.readSecretFile(path: path, rules: rules) }
        if let rows = LocalFilesystemFile.variableRows(text: text, format: format) {
            // A file of a common shape: one table over its text, each record read when asked for.
            return (variableTable(rows, text: text, format: format, path: path).records, [])
        }
        let variables = try failing(file) {
            try LocalFilesystemFile.variableEntries(text: text, format: format, path: path, rules: rules)
        }
        records.reserveCapacity(variables.count)
        for variable in variables {
            guard case .string(let key) = variable.key else {
                warnings.append("\(location(file, variable.line)): the key \(variable.key.pythonRepr) is a YAML \(variable.key.pythonTypeName), and Airflow looks keys up as strings, so it is never found; quote it")
                continue
            }
            records.append(variableRecord(key: key, value: variable.value, path: path, line: variable.line))
        }
        return (records, warnings)
    }

    private func connectionRecords() throws -> (records: [TierRecord], warnings: [String]) {
        guard let file = connectionsFile else { return ([], []) }
        var records: [TierRecord] = []
        var warnings: [String] = []
        let path = file.path
        let (text, format) = try failing(file) { try LocalFilesystemFile.readSecretFile(path: path, rules: rules) }
        // The common shapes become one table over the file's text; anything unusual declines,
        // and the general path below builds (or refuses) the file instead.
        if let table = connectionTable(text: text, format: format, path: path) {
            return (table.records, [])
        }
        let connections = try failing(file) {
            try LocalFilesystemFile.generalConnections(text: text, format: format, path: path, dialect: dialect, rules: rules)
        }
        records.reserveCapacity(connections.count)
        for item in connections {
            guard case .string(let key) = item.key else {
                warnings.append("\(location(file, item.line)): the key \(item.key.pythonRepr) is a YAML \(item.key.pythonTypeName), and Airflow looks ids up as strings, so it is never found; quote it")
                continue
            }
            records.append(connectionRecord(key: key, connection: item.connection, connID: item.connID,
                                            path: path, line: item.line))
        }
        return (records, warnings)
    }

    /// The record of one connection found under a string key.
    func connectionRecord(key: String, connection: consuming Connection, connID: String?, path: String,
                          line: Int?) -> TierRecord {
        if connID != nil, let line {
            return TierRecord(kind: .connection, name: key, suggestedID: key, state: connectionState(connection),
                              file: path, line: line)
        }
        var metadata = self.metadata(path, line, extraCapacity: connID == nil ? 1 : 0)
        if connID == nil {
            metadata.append(("conn_id", "Airflow's sanitising rejects this id, so the object's conn_id is None"))
        }
        return TierRecord(kind: .connection, name: key, suggestedID: key,
                          state: connectionState(connection), metadataPairs: metadata)
    }

    /// What `get_variable` returns: the value itself; `None` means "not here".
    func variableRecord(key: String, value: PythonValue, path: String, line: Int?) -> TierRecord {
        if case .string(let text) = value, let line {
            // The usual record: a string value from a known line, held without a metadata list.
            return TierRecord(kind: .variable, name: key, suggestedID: key, state: text.isEmpty ? .empty : .present(.variable(text)),
                              rawText: text, file: path, line: line)
        }
        let addsType: Bool
        switch value {
        case .none, .string: addsType = false
        default: addsType = true
        }
        var metadata = self.metadata(path, line, extraCapacity: addsType ? 1 : 0)
        let state: EntryState
        var raw: String?
        switch value {
        case .none:
            state = .unreadable(reason: "the value is null; Airflow's get_variable returns None, so it treats the variable as not found")
        case .string(let text):
            state = text.isEmpty ? .empty : .present(.variable(text))
            raw = text
        default:
            // Airflow 3.2+ returns the object itself; a DAG sees its str() when it formats it.
            metadata.append(("python_type", value.pythonTypeName))
            raw = value.pythonStr
            state = .present(.variable(value.pythonStr))
        }
        return TierRecord(kind: .variable, name: key, suggestedID: key, state: state, rawText: raw,
                          metadataPairs: metadata)
    }

    /// The server's lookup loop evaluates `get_uri()` on a found connection; a field of a type
    /// that makes it raise turns the hit into "not found". Workers do not call it.
    func connectionState(_ connection: consuming Connection) -> EntryState {
        // Ordinary connections keep no verbatim field: skip the five lookups.
        if dialect != .sdk, !connection.verbatim.isEmpty {
            for field in ["conn_type", "host", "login", "password", "schema"] {
                if let value = connection.verbatim[field], value != .null, value.stringValue == nil {
                    return .unreadable(reason: "\(field) is not a string, so Airflow's get_uri() raises and the lookup falls through as not found; quote it")
                }
            }
        }
        return .present(.connection(connection))
    }

    private func failing<T>(_ file: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LocalFilesystemError {
            func message(_ summary: String) -> String {
                "\(location(file, error.line)): \(summary); Airflow raises this on every lookup and falls through to the next tier — fix the file"
            }
            throw TierError(message(Self.summary(error)), exact: message(Self.summary(error, revealed: true)))
        } catch let error as YAMLExpansionError {
            // Airflow itself would load it (PyYAML shares the aliased nodes): this is Strata's limit.
            throw TierError("\(file.path): \(error)")
        }
    }

    /// One line for a loader error: the first parse error, or Airflow's safe message (its
    /// exact message when `revealed`).
    static func summary(_ error: LocalFilesystemError, revealed: Bool = false) -> String {
        if let first = error.parseErrors.first {
            let firstLine = first.message.split(separator: "\n").first.map(String.init) ?? first.message
            let more = error.parseErrors.count > 1 ? " (and \(error.parseErrors.count - 1) more)" : ""
            return "\(error.className): \(firstLine)\(more)"
        }
        return revealed ? error.exactMessage : error.safeMessage
    }

    /// The source file and line, with room for `extraCapacity` more pairs (one allocation per record).
    private func metadata(_ path: String, _ line: Int?, extraCapacity: Int = 0) -> [(String, String)] {
        var metadata: [(String, String)] = []
        metadata.reserveCapacity(2 + extraCapacity)
        metadata.append(("file", path))
        if let line { metadata.append(("line", String(line))) }
        return metadata
    }

    private func location(_ file: URL, _ line: Int?) -> String {
        file.path + (line.map { ":\($0)" } ?? "")
    }
}
