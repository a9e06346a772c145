import Engine
import Foundation
import PythonCompat

/// Writes variables and connections into the files of Airflow's `LocalFilesystemBackend`
/// (`variables_file_path`, `connections_file_path`; `.env`, `.json`, `.yaml`/`.yml`), editing
/// only the entry for the key: a `.env` line, a JSON member, a YAML top-level block. Each new
/// file is checked through the tier's own loader before it replaces the old one, and must hold
/// every other entry unchanged.
public struct LocalFilesWriter: TierWriter {
    public let variablesFile: URL?
    public let connectionsFile: URL?
    /// The process context's dialect (Airflow 3 parses these files with the core parser).
    public let dialect: ConnectionDialect
    public let descriptor: TierDescriptor

    public init(variablesFile: URL?, connectionsFile: URL?, dialect: ConnectionDialect,
                tier: TierID = .backend, descriptor: TierDescriptor? = nil) {
        self.variablesFile = variablesFile
        self.connectionsFile = connectionsFile
        self.dialect = dialect
        self.descriptor = descriptor
            ?? LocalFilesystemTier(variablesFile: variablesFile, connectionsFile: connectionsFile, dialect: dialect, tier: tier).descriptor
    }

    /// The writer for the files a loaded tier reads.
    public init(_ tier: LocalFilesystemTier) {
        self.init(variablesFile: tier.variablesFile, connectionsFile: tier.connectionsFile, dialect: tier.dialect,
                  tier: tier.descriptor.tier, descriptor: tier.descriptor)
    }

    private var rules: LocalFilesystemFile.Rules { dialect == .airflow2 ? .airflow2 : .current }

    /// `.env` holds URIs only (Airflow never detects JSON there); JSON and YAML hold an object
    /// of fields or a URI string.
    public var connectionForms: [ConnectionForm] {
        guard let file = connectionsFile, let format = try? LocalFilesystemFile.format(ofPath: file.path, rules: rules) else {
            return []
        }
        return format == .env ? [.uri] : [.fields, .uri]
    }

    public var keepsVariableDescriptions: Bool { false }

    public func lookupName(for key: SecretKey) -> LookupName {
        source(for: key.kind, file: file(for: key.kind)).lookupName(for: key)
    }

    public func read(_ key: SecretKey) async throws -> EntryState {
        let name = try requireName(for: key)
        let file = file(for: key.kind)!
        guard FileManager.default.fileExists(atPath: file.path) else { return .absent }
        return try Self.state(in: try await load(key.kind, file), kind: key.kind, name: name)
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let file = AtomicFile.target(of: self.file(for: key.kind)!)
        let format: LocalFilesystemFile.Format
        do {
            format = try LocalFilesystemFile.format(ofPath: file.path, rules: rules)
        } catch let error as LocalFilesystemError {
            throw EditError(.unsupported, "\(file.path): \(error.message)")
        }

        let start = try await FileEditStart.read(file) { try await load(key.kind, $0) }
        let (original, before, text) = (start.original, start.snapshot, start.text)
        let current = try start.state(of: key.kind, name)
        try checkUnchanged(current, base: base, name: name)

        var notes: [String] = []
        let edited: String
        switch change.action {
        case .delete:
            edited = try remove(name, from: text, format: format, file: file)
        case .set(let value, let form):
            let entry: Entry
            switch value {
            case .variable(let variable, let description):
                entry = .text(variable)
                if description?.isEmpty == false { notes.append("local secret files cannot hold a description; it was not written") }
            case .connection(let connection):
                if !connectionForms.contains(form) {
                    let accepted = connectionForms.map(\.rawValue).joined(separator: ", ")
                    throw EditError(.invalid, "\(file.lastPathComponent) does not store connections as \(form.rawValue); use \(accepted).")
                }
                if form == .uri {
                    let stored = try StoredConnectionText.make(connection, form: .uri, dialect: parserDialect, name: name,
                                                               label: descriptor.label)
                    entry = .text(stored.text)
                    notes += stored.notes
                } else {
                    entry = .fields(connection)
                }
            }
            edited = try set(name, entry, in: text, format: format, file: file, exists: original != nil)
        }

        // The new file, loaded by the tier itself, must hold what was meant and nothing else new.
        let expected = try await VerifiedFileReplace.replace(
            file, with: edited, expecting: original, change: change, name: name, before: before,
            load: { try await load(key.kind, $0, reportingAs: file) },
            meant: { try checkMeant($0, change: change, name: name, file: file) })
        try checkStored(try await read(key), after: expected, name: name)
        return WriteReceipt(name: name, location: file.path, created: current == .absent && change.newValue != nil, notes: notes)
    }

    // MARK: Files and loading

    private func file(for kind: SecretKind) -> URL? {
        kind == .variable ? variablesFile : connectionsFile
    }

    /// URIs in these files are parsed by the core parser even on Airflow 3 workers.
    private var parserDialect: ConnectionDialect { dialect == .sdk ? .core : dialect }

    private func source(for kind: SecretKind, file: URL?) -> LocalFilesystemTier {
        LocalFilesystemTier(variablesFile: kind == .variable ? file : nil, connectionsFile: kind == .connection ? file : nil,
                            dialect: dialect, tier: descriptor.tier)
    }

    /// The tier's own load of one file (a temp file named like the real one).
    private func load(_ kind: SecretKind, _ file: URL, reportingAs real: URL? = nil) async throws -> TierSnapshot {
        do {
            return try await source(for: kind, file: file).load()
        } catch let error as TierError {
            var message = error.message
            if let real { message = message.replacingOccurrences(of: file.path, with: real.path) }
            throw EditError(real == nil ? .failed : .invalid, real == nil
                            ? "\(message); nothing was written"
                            : "the edited file would not load in Airflow (\(message)); nothing was written")
        }
    }

    static func state(in snapshot: TierSnapshot, kind: SecretKind, name: String) throws -> EntryState {
        snapshot.records.last { $0.kind == kind && $0.name == name }?.state ?? .absent
    }

    /// Every other entry must read back exactly as before.
    static func checkOthersUnchanged(_ before: [TierRecord], _ after: [TierRecord], except name: String, file: URL) throws {
        func others(_ records: [TierRecord]) -> [String: EntryState] {
            var map: [String: EntryState] = [:]
            for record in records where record.name != name { map["\(record.kind.rawValue):\(record.name)"] = record.state }
            return map
        }
        guard others(before) == others(after) else {
            throw EditError(.failed, "editing \(name) in \(file.path) would have changed other entries; nothing was written. Edit this file by hand.")
        }
    }

    /// The entry as loaded from the new file must be what the change meant.
    private func checkMeant(_ stored: EntryState, change: TierChange, name: String, file: URL) throws {
        switch change.action {
        case .delete:
            guard stored == .absent else {
                throw EditError(.failed, "\(name) would still be found in \(file.path) after deleting it; nothing was written.")
            }
        case .set(.variable(let text, _), _):
            let expected: EntryState = text.isEmpty ? .empty : .present(.variable(text))
            guard stored == expected else {
                throw EditError(.invalid, "\(file.lastPathComponent) cannot hold the value of \(name) exactly; nothing was written.")
            }
        case .set(.connection(let meant), let form):
            guard case .present(.connection(let got)) = stored else {
                throw EditError(.invalid, "Airflow would not read \(name) back from \(file.lastPathComponent) as a connection; nothing was written.")
            }
            let lost = StoredConnectionText.lostFields(meant, got)
            guard lost.isEmpty else {
                throw EditError(.invalid, "\(file.lastPathComponent) cannot hold \(name) exactly as \(form.rawValue): "
                                + "\(lost.joined(separator: ", ")) would read back differently; nothing was written.")
            }
        }
    }

    // MARK: Editing the text

    enum Entry {
        /// A string value: a variable, or a connection URI.
        case text(String)
        /// A connection as an object of fields.
        case fields(Connection)
    }

    private func set(_ name: String, _ entry: Entry, in text: String, format: LocalFilesystemFile.Format,
                     file: URL, exists: Bool) throws -> String {
        switch format {
        case .env:
            guard case .text(let value) = entry else {
                throw EditError(.invalid, "\(file.lastPathComponent) holds connections as URIs only.")
            }
            if let problem = SecretEnvFileEditor.problem(key: name, value: value) {
                throw EditError(.invalid, "\(file.lastPathComponent) cannot hold \(name): Airflow reads its lines unquoted, "
                                + "and this would need \(problem). Use a .json or .yaml file for such values.")
            }
            var editor = SecretEnvFileEditor(text)
            editor.set(name, value: value)
            return editor.text
        case .json:
            var editor = try jsonEditor(text, file: file, exists: exists)
            try editor.set(name) { indent in JSONObjectEditor.render(Self.jsonValue(entry), indent: indent, unit: indent ?? "  ") }
            return editor.text + (exists ? "" : "\n")
        case .yaml:
            return try YAMLSecretFileEditor.set(name, Self.yamlLines(entry), in: text, file: file)
        }
    }

    private func remove(_ name: String, from text: String, format: LocalFilesystemFile.Format, file: URL) throws -> String {
        switch format {
        case .env:
            var editor = SecretEnvFileEditor(text)
            editor.remove(name)
            return editor.text
        case .json:
            var editor = try jsonEditor(text, file: file, exists: true)
            try editor.remove(name)
            return editor.text
        case .yaml:
            return try YAMLSecretFileEditor.remove(name, from: text, file: file)
        }
    }

    private func jsonEditor(_ text: String, file: URL, exists: Bool) throws -> JSONObjectEditor {
        do {
            return try JSONObjectEditor(exists ? text : "{}")
        } catch {
            throw EditError(.unsupported, "\(file.path) is not one JSON object Strata can edit in place; edit it by hand.")
        }
    }

    /// The fields of a connection object, in the order Airflow lists them.
    static let objectFields = ["conn_type", "description", "host", "login", "password", "schema", "port", "extra"]

    /// The JSON for an entry: a string, or an object whose `extra` is nested when Airflow's
    /// `json.dumps` of it gives back the very same text.
    static func jsonValue(_ entry: Entry) -> JSONValue {
        switch entry {
        case .text(let text): return .string(text)
        case .fields(let connection):
            var object = JSONObject()
            for field in objectFields {
                let value = connection.fieldValue(field)
                if value == .null { continue }
                if field == "extra", case .string(let text) = value, let nested = try? JSONValue.parsePython(text),
                   case .object = nested, nested.pythonDumps() == text {
                    object[field] = nested
                } else {
                    object[field] = value
                }
            }
            return .object(object)
        }
    }

    /// The value lines of a YAML entry: one scalar, or a block of fields (`extra` as its JSON text).
    static func yamlLines(_ entry: Entry) -> YAMLSecretFileEditor.Value {
        switch entry {
        case .text(let text): return .scalar(YAMLText.scalar(text))
        case .fields(let connection):
            var fields: [(String, String)] = []
            for field in objectFields {
                switch connection.fieldValue(field) {
                case .null: continue
                case .string(let text): fields.append((field, YAMLText.scalar(text)))
                case .integer(let text): fields.append((field, text))
                case .bool(let flag): fields.append((field, flag ? "true" : "false"))
                case let other: fields.append((field, YAMLText.doubleQuoted(other.pythonDumps())))
                }
            }
            return .mapping(fields)
        }
    }
}

extension TierValue {
    /// The value as an edit would set it.
    var asEditValue: EditValue {
        switch self {
        case .variable(let text): return .variable(text, description: nil)
        case .connection(let connection): return .connection(connection)
        }
    }
}
