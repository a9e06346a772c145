import Foundation
import Editing
import Engine
import RemoteSupport

/// The guarded writer of an AWS SSM Parameter Store tier. A new parameter is created with
/// `PutParameter` without `Overwrite`, which Parameter Store refuses when someone created it
/// first. Replacing has no conditional form: Strata compares what is there just before
/// writing, keeps the parameter's type and KMS key, and checks afterwards that its write made
/// exactly the next version — a jump means another write landed in between, reported as a
/// conflict. Deletes are permanent (Parameter Store keeps no deleted parameters).
public struct ParameterStoreTierWriter: SourceBackedTierWriter {
    public let source: ParameterStoreTierSource
    /// The type of parameters Strata creates.
    public var newParameterType: String

    public init(source: ParameterStoreTierSource, newParameterType: String = "SecureString") {
        self.source = source
        self.newParameterType = newParameterType
    }

    /// Airflow's SSM backend reads a connection as a URI or as standard JSON (§5.4).
    public var connectionForms: [ConnectionForm] { [.uri, .json] }
    public var writesInParallel: Bool { true }

    public func read(_ key: SecretKey) async throws -> EntryState {
        try await readAsLookedUp(key) { name in try await current(key, name: name).state }
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let api = source.api
        let location = "\(source.settings.region):\(name)"
        do {
            let before = try await current(key, name: name)
            try checkUnchanged(before.state, base: base, name: name)
            switch change.action {
            case .delete:
                // No conditional delete exists: a change landing between the read above and
                // this call is deleted too.
                do {
                    try await api.deleteParameter(name)
                } catch let error as AWSServiceError where error.code == "ParameterNotFound" {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was deleted by someone else since Strata read it; "
                                    + "nothing was written.", remedy: .editAgainOnCurrentValue)
                }
                try checkStored(try await current(key, name: name).state, after: change, name: name)
                return WriteReceipt(name: name, location: location, version: before.version,
                                    notes: ["Parameter Store deletes a parameter with its history; it cannot be restored"])
            case .set:
                let stored = try StoredSecretText.make(for: change, dialect: source.dialect, name: name, label: descriptor.label)
                guard !stored.text.isEmpty else {
                    throw EditError(.invalid, "Parameter Store cannot hold an empty value (\(name)): PutParameter needs at least "
                                    + "one character. Store an empty variable in another tier.")
                }
                var notes = stored.notes
                let version: String?
                if let old = before.version {
                    let existing = try await api.describe(name)
                    // The window between the read above and this write has no guard in the API;
                    // the version check below tells when it was used.
                    version = try await api.putParameter(name, value: stored.text, type: existing?.type ?? newParameterType,
                                                         keyID: existing?.keyID, overwrite: true)
                    if let version, let new = Int(version), let previous = Int(old), new != previous + 1 {
                        throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else while Strata wrote it: "
                                        + "Strata's value is version \(new), after version(s) \(previous + 1)…\(new - 1) from another writer. "
                                        + "Compare them with `aws ssm get-parameter-history --name \(name)` and keep the right one.")
                    }
                } else {
                    do {
                        version = try await api.putParameter(name, value: stored.text, type: newParameterType, keyID: nil,
                                                             overwrite: false)
                    } catch let error as AWSServiceError where error.code == "ParameterAlreadyExists" {
                        throw EditError(.conflict, "\(name) in \(descriptor.label) was created by someone else since Strata read it; "
                                        + "nothing was written.", remedy: .editAgainOnCurrentValue)
                    }
                    notes.append("created as \(newParameterType)")
                }
                let after = try await current(key, name: name)
                if let version, let now = after.version, now != version {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else right after Strata's write "
                                    + "(now version \(now), Strata wrote \(version)).", remedy: .checkWhichValueStays)
                }
                try checkStored(after.state, after: stored.expected, name: name)
                return WriteReceipt(name: name, location: location, version: after.version ?? version,
                                    created: before.version == nil, notes: notes)
            }
        } catch {
            throw error.asAWSEditError("writing \(name) to \(descriptor.label)")
        }
    }

    struct Current {
        var state: EntryState
        var version: String?
    }

    /// The parameter now (GetParameter with decryption), parsed as the tier parses it.
    /// The service rejects an empty value (its Value needs at least one character).
    public func refusal(for change: TierChange) -> EditError? {
        guard case .set(let value, _) = change.action, value.tierValue.isEmptyValue else { return nil }
        return EditError(.invalid, "\(descriptor.label) cannot store an empty value for \(change.key) (its Value needs at least "
                         + "one character), so Airflow could not read it from there; keep it in another tier.")
    }

    func current(_ key: SecretKey, name: String) async throws -> Current {
        do {
            guard let parameter = try await source.api.parameter(named: name) else { return Current(state: .absent) }
            return Current(state: source.record(parameter, kind: key.kind, id: key.id).state, version: parameter.version)
        } catch let error as AWSServiceError where error.kind == .accessDenied {
            return Current(state: StoredValueReading.unreadable(error, resource: name))
        } catch {
            throw error.asAWSEditError("reading \(name) from \(descriptor.label)")
        }
    }
}
