import Foundation
import PythonCompat
import Editing
import Engine
import RemoteSupport

/// The guarded writer of a HashiCorp Vault (or OpenBao) tier. KV v2 writes check-and-set on
/// the version read just before (0 for a new secret, the deleted version for one whose
/// latest version was deleted), so a concurrent change is refused by Vault itself; KV v1 has
/// no versions, so Strata compares just before writing. Connections are stored as
/// `{"conn_uri": …}` or one key per field; a variable's other keys are kept. Deletes are
/// soft on KV v2 (the version can be undeleted) and final on KV v1.
public struct VaultTierWriter: SourceBackedTierWriter {
    public let source: VaultTierSource

    public init(source: VaultTierSource) {
        self.source = source
    }

    public var connectionForms: [ConnectionForm] { [.uri, .fields] }
    public var writesInParallel: Bool { true }

    public func read(_ key: SecretKey) async throws -> EntryState {
        _ = try requireName(for: key)
        return try await current(key).state
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let client = source.client
        do {
            let locations = source.settings.naming.vaultLocations(for: key)
            let before: Current
            if base == .absent, change.newValue != nil, locations.count == 1, locations[0].kvEngineVersion == 2 {
                // Check-and-set on version 0 is itself the guard that nothing is there: no read first.
                before = Current(state: .absent)
            } else {
                before = try await current(key)
            }
            try checkUnchanged(before.state, base: base, name: name)
            switch change.action {
            case .delete:
                guard let secret = before.secret else {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was deleted by someone else since Strata read it.")
                }
                // Vault's delete takes no check-and-set: a version written between the read
                // above and this call is the one deleted (and can be undeleted like it).
                try await client.deleteSecret(secret.location)
                let after = try await current(key)
                var notes: [String] = []
                if let version = secret.version {
                    notes.append("soft-deleted version \(version): undo with `bao kv undelete -mount=\(secret.location.mount) "
                                 + "-versions=\(version) \(secret.location.path)` (vault kv undelete)")
                } else {
                    notes.append("KV version 1 keeps no history: the secret is gone for good")
                }
                if let other = after.secret, other.location != secret.location {
                    // Another base path holds the key too; Airflow now reads that one.
                    notes.append("\(other.location.logicalName) also holds \(key.id); Airflow reads that one now")
                } else {
                    try checkStored(after.state, after: change, name: name)
                }
                return WriteReceipt(name: name, location: location(secret.location), version: secret.version.map(String.init),
                                    notes: notes)
            case .set(let value, let form):
                let target = before.secret?.location ?? source.settings.naming.vaultLocations(for: key).first
                guard let target else {
                    throw EditError(.invalid, "no Vault path is configured for \(key); set connections_path / variables_path.")
                }
                let (data, expected, notes) = try payload(change, value: value, form: form, keeping: before.secret?.data, name: name)
                var cas: Int?
                if target.kvEngineVersion == 2 {
                    // Absent to Airflow: check-and-set 0 (nothing there) first; only when that
                    // fails can the path hold a secret whose latest version is deleted.
                    cas = before.secret?.version ?? 0
                } else {
                    // KV v1: no check-and-set; compare just before writing (a narrow window remains).
                    let now = try await current(key)
                    try checkUnchanged(now.state, base: base, name: name)
                }
                let conflict = EditError(.conflict, "\(name) in \(descriptor.label) changed since Strata read it; nothing was written.",
                                         remedy: .editAgainOnCurrentValue)
                var version: Int?
                do {
                    version = try await client.writeSecret(target, data: data, cas: cas)
                } catch let failure as VaultFailure where failure.kind == .conflict {
                    guard before.secret == nil, target.kvEngineVersion == 2,
                          let deleted = try await client.currentVersion(target).flatMap({ $0.deleted ? $0.version : nil }) else {
                        throw conflict
                    }
                    do {
                        version = try await client.writeSecret(target, data: data, cas: deleted)
                    } catch let failure as VaultFailure where failure.kind == .conflict {
                        throw conflict
                    }
                }
                if cas != nil, change.verification == .byCaller {
                    // Check-and-set took, so this version is the value written; the caller's
                    // batch re-read checks what Airflow reads from it.
                    return WriteReceipt(name: name, location: location(target), version: version.map(String.init),
                                        created: before.secret == nil, notes: notes)
                }
                let after = try await current(key)
                if let version, let now = after.secret?.version, now != version {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else right after Strata's write "
                                    + "(now version \(now), Strata wrote \(version)).", remedy: .checkWhichValueStays)
                }
                try checkStored(after.state, after: expected, name: name)
                return WriteReceipt(name: name, location: location(target), version: version.map(String.init),
                                    created: before.secret == nil, notes: notes)
            }
        } catch let error as EditError {
            throw error
        } catch let failure as VaultFailure {
            throw EditError(.failed, "writing \(name) to \(descriptor.label) failed: \(failure.message)")
        } catch {
            throw EditError(.failed, "writing \(name) to \(descriptor.label) failed (\(type(of: error))).")
        }
    }

    /// The secret's new data, the change as Airflow will read it back, and notes.
    private func payload(_ change: TierChange, value: EditValue, form: ConnectionForm, keeping old: JSONObject?,
                         name: String) throws -> (JSONObject, TierChange, [String]) {
        switch value {
        case .variable(let text, let description):
            // The secret's other keys are not Airflow's; keep them.
            var data = old ?? JSONObject()
            data["value"] = .string(text)
            let notes = description?.isEmpty == false ? ["\(descriptor.label) does not keep a variable's description; it was not written"] : []
            return (data, change, notes)
        case .connection:
            switch form {
            case .uri:
                let stored = try StoredSecretText.make(for: change, dialect: source.dialect, name: name, label: descriptor.label)
                return (JSONObject([("conn_uri", .string(stored.text))]), stored.expected, stored.notes)
            case .fields:
                guard case .connection(let connection) = value else { return (old ?? JSONObject(), change, []) }
                let (fields, stored) = try fieldsPayload(connection, name: name)
                return (fields, .set(change.key, .connection(stored.readBack), form: .fields), stored.notes)
            case .json:
                throw EditError(.invalid, "\(descriptor.label) stores connections as conn_uri or as one key per field; use uri or fields.")
            }
        }
    }

    /// The field form is read as Airflow reads it: the secret's keys json.dumps'ed and parsed
    /// with `from_json`.
    public func connectionReadBack(_ connection: Connection, as form: ConnectionForm, key: SecretKey,
                                   dialect: ConnectionDialect) throws -> StoredConnectionText {
        let name = lookupName(for: key).name ?? key.id
        if form == .fields { return try fieldsPayload(connection, name: name).stored }
        return try StoredConnectionText.make(connection, form: form, dialect: source.dialect, name: name, label: descriptor.label)
    }

    /// One key per field: the JSON form's object, with `extra` kept as the text it is. Vault
    /// stores an object's keys sorted, so an `extra` object would come back re-ordered;
    /// `from_json` keeps a text `extra` exactly.
    private func fieldsPayload(_ connection: Connection, name: String) throws -> (JSONObject, stored: StoredConnectionText) {
        let json = try StoredConnectionText.make(connection, form: .json, dialect: source.dialect, name: name, label: descriptor.label)
        guard case .object(var fields) = try JSONValue.parsePython(json.text) else {
            throw EditError(.invalid, "the JSON form of \(name) is not an object; use the URI form.")
        }
        if let extra = connection.extra, !extra.isEmpty, fields["extra"] != nil { fields["extra"] = .string(extra) }
        let stored = try StoredConnectionText.make(connection, form: .json, dialect: source.dialect, name: name, label: descriptor.label,
                                                   transform: { _ in JSONValue.object(fields).pythonDumps() })
        return (fields, stored)
    }

    private func location(_ location: VaultSecretLocation) -> String {
        "\(source.client.baseURL.displayHost) \(location.logicalName)"
    }

    struct Current {
        var state: EntryState
        var secret: VaultSecret?
    }

    /// What Airflow reads for `key` now: the first base path holding it, parsed as the tier does.
    func current(_ key: SecretKey) async throws -> Current {
        do {
            guard let secret = try await source.read(key) else { return Current(state: .absent) }
            let mapped = key.kind == .connection ? secret.connectionState(dialect: source.dialect) : secret.variableState()
            return Current(state: mapped.state, secret: secret)
        } catch let failure as VaultFailure {
            switch failure.kind {
            case .sealed, .uninitialized, .unreachable, .tls, .authentication:
                throw EditError(.failed, "reading \(key) from \(descriptor.label) failed: \(failure.message)")
            default:
                return Current(state: .unreadable(reason: failure.message + " Airflow's lookup raises, logs it and moves on to the next tier."))
            }
        }
    }
}
