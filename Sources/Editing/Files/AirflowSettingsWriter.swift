import Engine
import Foundation

/// Writes connections and variables into an Astro project's `airflow_settings.yaml` (the
/// metastore tier of a local Astro project): entries of `airflow: connections:` and
/// `airflow: variables:` edited in place, new ones appended, each new file checked through the
/// tier's own loader before it replaces the old one.
public struct AirflowSettingsWriter: TierWriter {
    public let fileURL: URL
    public let dialect: ConnectionDialect
    public let descriptor: TierDescriptor

    public init(fileURL: URL, dialect: ConnectionDialect) {
        self.fileURL = fileURL
        let tier = AirflowSettingsTier(fileURL: fileURL, dialect: dialect)
        self.dialect = tier.dialect
        self.descriptor = tier.descriptor
    }

    /// One entry of fields (`conn_type`, `conn_host`, …) per connection.
    public var connectionForms: [ConnectionForm] { [.fields] }
    public var keepsVariableDescriptions: Bool { false }

    public func lookupName(for key: SecretKey) -> LookupName { .name(key.id) }

    public func read(_ key: SecretKey) async throws -> EntryState {
        let name = try requireName(for: key)
        guard FileManager.default.fileExists(atPath: fileURL.path) else { return .absent }
        return try LocalFilesWriter.state(in: try await load(fileURL), kind: key.kind, name: name)
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let file = AtomicFile.target(of: fileURL)
        let start = try await FileEditStart.read(file) { try await load($0) }
        let (original, before, text) = (start.original, start.snapshot, start.text)
        let current = try start.state(of: key.kind, name)
        try checkUnchanged(current, base: base, name: name)

        var editor = try AirflowSettingsEditor(text, file: file)
        let section: AirflowSettingsEditor.Section = key.kind == .connection ? .connections : .variables
        var notes = ["astro dev start loads airflow_settings.yaml into the metastore when the project starts: "
                     + "restart it (astro dev restart) for Airflow to see the change"]
        switch change.action {
        case .delete:
            try editor.remove(section, id: name)
            notes.append("deleting an entry does not remove what an earlier astro dev start already loaded into the metastore")
        case .set(let value, let form):
            switch value {
            case .variable(let text, let description):
                try refuseForShell(name, [text], file: file)
                if text.isEmpty {
                    throw EditError(.invalid, "\(file.lastPathComponent) cannot hold an empty variable: the Astro CLI skips entries "
                                    + "without a value. Store \(name) in another tier.")
                }
                if description?.isEmpty == false { notes.append("airflow_settings.yaml cannot hold a description; it was not written") }
                try editor.set(section, id: name, fields: [("variable_name", YAMLText.scalar(name)),
                                                           ("variable_value", YAMLText.scalar(text))])
            case .connection(let connection):
                guard form == .fields else {
                    throw EditError(.invalid, "\(file.lastPathComponent) stores connections as fields (conn_type, conn_host, …), not as \(form.rawValue).")
                }
                if let field = connection.verbatim.keys.sorted().first(where: { $0 != "description" }) {
                    throw EditError(.invalid, "\(field) of \(name) is not text; airflow_settings.yaml holds text fields and a whole-number port.")
                }
                if (connection.connType ?? "").isEmpty {
                    throw EditError(.invalid, "\(name) has no conn_type; the Astro CLI skips a connection without one.")
                }
                try refuseForShell(name, [connection.connType, connection.host, connection.schema, connection.login,
                                          connection.password, connection.extra].compactMap { $0 }, file: file)
                if connection.description?.isEmpty == false {
                    notes.append("airflow_settings.yaml cannot hold a description; it was not written")
                }
                var fields: [(String, String)] = [("conn_id", YAMLText.scalar(name))]
                func add(_ field: String, _ value: String?) {
                    if let value, !value.isEmpty { fields.append((field, YAMLText.scalar(value))) }
                }
                add("conn_type", connection.connType)
                add("conn_host", connection.host)
                add("conn_schema", connection.schema)
                add("conn_login", connection.login)
                add("conn_password", connection.password)
                if let port = connection.port { fields.append(("conn_port", String(port))) }
                add("conn_extra", connection.extra)
                try editor.set(section, id: name, fields: fields)
            }
        }

        let expected = try await VerifiedFileReplace.replace(
            file, with: editor.text, expecting: original, change: change, name: name, before: before,
            load: { try await load($0, reportingAs: file) },
            meant: { try checkMeant($0, change: change, name: name, file: file) })
        try checkStored(try await read(key), after: expected, name: name)
        return WriteReceipt(name: name, location: file.path, created: current == .absent && change.newValue != nil, notes: notes)
    }

    /// The Astro CLI hands every field to bash inside single quotes.
    private func refuseForShell(_ name: String, _ values: [String], file: URL) throws {
        if values.contains(where: { $0.unicodeScalars.contains("'") }) {
            throw EditError(.invalid, "a field of \(name) contains a single quote, which the Astro CLI cannot pass on "
                            + "(it wraps fields in '…' for bash). Store \(name) in another tier.")
        }
    }

    private func load(_ file: URL, reportingAs real: URL? = nil) async throws -> TierSnapshot {
        do {
            return try await AirflowSettingsTier(fileURL: file, dialect: dialect).load()
        } catch let error as TierError {
            var message = error.message
            if let real { message = message.replacingOccurrences(of: file.path, with: real.path) }
            throw EditError(real == nil ? .failed : .invalid, real == nil
                            ? "\(message); nothing was written"
                            : "the edited file would not load (\(message)); nothing was written")
        }
    }

    private func checkMeant(_ stored: EntryState, change: TierChange, name: String, file: URL) throws {
        switch change.action {
        case .delete:
            guard stored == .absent else {
                throw EditError(.failed, "\(name) would still be in \(file.path) after deleting it; nothing was written.")
            }
        case .set(.variable(let text, _), _):
            guard stored == .present(.variable(text)) else {
                throw EditError(.invalid, "\(file.lastPathComponent) cannot hold the value of \(name) exactly; nothing was written.")
            }
        case .set(.connection(let meant), _):
            guard case .present(.connection(let got)) = stored else {
                if case .unreadable(let reason) = stored {
                    throw EditError(.invalid, "\(name) would not load from \(file.lastPathComponent): \(reason); nothing was written.")
                }
                throw EditError(.invalid, "\(name) would not load from \(file.lastPathComponent); nothing was written.")
            }
            let lost = StoredConnectionText.lostFields(meant, got)
            guard lost.isEmpty else {
                throw EditError(.invalid, "\(file.lastPathComponent) cannot hold \(name) exactly: \(lost.joined(separator: ", ")) "
                                + "would read back differently; nothing was written.")
            }
        }
    }
}
