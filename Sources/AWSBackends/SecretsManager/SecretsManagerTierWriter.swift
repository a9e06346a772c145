import Foundation
import Editing
import Engine
import RemoteSupport

/// The guarded writer of an AWS Secrets Manager tier. A value is compared with the edit's base
/// just before `PutSecretValue`; afterwards the replaced version must be the one compared, so a
/// write that slipped in between is reported as a conflict (and kept as `AWSPREVIOUS`). A new
/// secret is created with `CreateSecret`, which fails when someone created it first. Deletes
/// schedule the secret for deletion with the default 30-day recovery window.
public struct SecretsManagerTierWriter: SourceBackedTierWriter {
    public let source: SecretsManagerTierSource

    public init(source: SecretsManagerTierSource) {
        self.source = source
    }

    /// The URI first, as the Astro guide stores connections; JSON is read with the
    /// provider's word lists.
    public var connectionForms: [ConnectionForm] { [.uri, .json] }
    public var writesInParallel: Bool { true }

    public func read(_ key: SecretKey) async throws -> EntryState {
        try await readAsLookedUp(key) { name in try await current(key, name: name).state }
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        // CreateSecret fails on a name that exists (or is scheduled for deletion), which is itself
        // the guard that nothing is there: a new key needs no read first.
        let before = base == .absent && change.newValue != nil ? Current(state: .absent) : try await current(key, name: name)
        try checkUnchanged(before.state, base: base, name: name)
        let api = source.api
        do {
            switch change.action {
            case .delete:
                // Secrets Manager has no conditional delete: a change landing between the read
                // above and this call is deleted with the rest (and is recoverable like it).
                let until = try await api.deleteSecret(name)
                let after = try await current(key, name: name)
                try checkStored(after.state, after: change, name: name)
                let date = until.map { " until \(ISO8601.format($0))" } ?? " for 30 days"
                return WriteReceipt(name: name, location: location(name, arn: before.arn), version: before.versionID,
                                    notes: ["scheduled for deletion with the default recovery window: restore it\(date) with "
                                            + "`aws secretsmanager restore-secret --secret-id \(name)`"])
            case .set:
                let stored = try StoredSecretText.make(for: change, dialect: source.dialect, name: name, label: descriptor.label,
                                                       transform: { [mapping = source.mapping] text in
                                                           key.kind == .connection ? try mapping.connectionValue(fromSecret: text) : text
                                                       })
                var notes = stored.notes
                var created = false
                let version: String?
                if let current = before.versionID {
                    version = try await replace(name, from: current, with: stored.text)
                } else {
                    do {
                        version = try await api.createSecret(name, secretString: stored.text, token: UUID().uuidString)
                        created = true
                    } catch let error as AWSServiceError
                                where ["ResourceExistsException", "InvalidRequestException"].contains(error.code) {
                        guard try await api.isScheduledForDeletion(name) == true else {
                            throw EditError(.conflict, "\(name) in \(descriptor.label) was created by someone else since Strata "
                                            + "read it; nothing was written.", remedy: .editAgainOnCurrentValue)
                        }
                        // Airflow reads a secret scheduled for deletion as absent, as the base said:
                        // bring it back, then replace its old value only if nobody else did.
                        try await api.restoreSecret(name)
                        let restored = try await current(key, name: name)
                        guard let old = restored.versionID else {
                            throw EditError(.failed, "\(name) was restored from its scheduled deletion but has no current value; "
                                            + "check it in Secrets Manager.")
                        }
                        version = try await replace(name, from: old, with: stored.text)
                        notes.append("\(name) was scheduled for deletion; Strata restored it and stored the new value as its current version")
                    }
                }
                if created, change.verification == .byCaller {
                    // CreateSecret fails on any existing name, so the value stored is this one; the
                    // caller's batch re-read checks what Airflow reads from it.
                    return WriteReceipt(name: name, location: location(name, arn: nil), version: version, created: true, notes: notes)
                }
                let after = try await current(key, name: name)
                if let version, let now = after.versionID, now != version {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else right after Strata's write: "
                                    + "Strata's value is version \(version), no longer the current one.", remedy: .checkWhichValueStays)
                }
                try checkStored(after.state, after: stored.expected, name: name)
                return WriteReceipt(name: name, location: location(name, arn: after.arn), version: after.versionID ?? version,
                                    created: created, notes: notes)
            }
        } catch {
            throw error.asAWSEditError("writing \(name) to \(descriptor.label)")
        }
    }

    /// Stores `text` as the new current version, then checks that the version it replaced
    /// (now `AWSPREVIOUS`) is `old`, the one compared before writing.
    ///
    /// Secrets Manager's own check-and-set — `UpdateSecretVersionStage` refusing to move
    /// `AWSCURRENT` off a version that no longer holds it — is not used: moto, the server the
    /// tests run against, keeps serving the old value after such a move, so Strata could not
    /// show that it works. The window between the compare and `PutSecretValue` is therefore
    /// guarded after the fact: a write that landed in it is still there as `AWSPREVIOUS`, and
    /// the edit reports a conflict instead of success.
    /// Airflow reads a JSON secret through the backend's key mapping, which keeps only the
    /// fields it knows.
    public func connectionReadBack(_ connection: Connection, as form: ConnectionForm, key: SecretKey,
                                   dialect: ConnectionDialect) throws -> StoredConnectionText {
        let name = lookupName(for: key).name ?? key.id
        return try StoredConnectionText.make(connection, form: form, dialect: source.dialect, name: name, label: descriptor.label,
                                             transform: { [mapping = source.mapping] text in try mapping.connectionValue(fromSecret: text) })
    }

    /// The service rejects an empty value (its SecretString needs at least one character).
    public func refusal(for change: TierChange) -> EditError? {
        guard case .set(let value, _) = change.action, value.tierValue.isEmptyValue else { return nil }
        return EditError(.invalid, "\(descriptor.label) cannot store an empty value for \(change.key) (its SecretString needs at least "
                         + "one character), so Airflow could not read it from there; keep it in another tier.")
    }

    private func replace(_ name: String, from old: String, with text: String) async throws -> String? {
        let api = source.api
        let version = try await api.putSecretValue(name, secretString: text, token: UUID().uuidString)
        let stages = try await api.versionStages(name)
        let previous = stages.first { $0.value.contains("AWSPREVIOUS") }?.key
        if let previous, previous != old {
            throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else while Strata wrote it: Strata's "
                            + "value is now current and the other value is the previous version (AWSPREVIOUS). Compare them "
                            + "(aws secretsmanager get-secret-value --version-stage AWSPREVIOUS) and keep the right one.")
        }
        return version
    }

    private func location(_ name: String, arn: String?) -> String {
        arn ?? "\(source.settings.region)/\(name)"
    }

    /// What the service holds for `name` now.
    struct Current {
        var state: EntryState
        var versionID: String?
        var arn: String?
    }

    /// Reads the current version of `name` and parses it as the tier does (GetSecretValue).
    func current(_ key: SecretKey, name: String) async throws -> Current {
        do {
            let value = try await source.api.getSecretValue(name)
            return Current(state: source.record(value, kind: key.kind, id: key.id, entry: nil).state,
                           versionID: value.versionID, arn: value.arn)
        } catch let error as AWSServiceError where error.kind == .notFound {
            return Current(state: .absent)
        } catch let error as AWSServiceError where error.code == "InvalidRequestException" {
            // Scheduled for deletion: not listed, and Airflow's lookup gets None.
            return Current(state: .absent)
        } catch let error as AWSServiceError where error.kind == .accessDenied {
            return Current(state: StoredValueReading.unreadable(error, resource: name))
        } catch let error as AWSServiceError where ["DecryptionFailure", "InternalServiceError", "InvalidParameterException"].contains(error.code) {
            return Current(state: SecretsManagerTierSource.itemState(error, name: name))
        } catch {
            throw error.asAWSEditError("reading \(name) from \(descriptor.label)")
        }
    }
}
