import Editing
import Engine
import PythonCompat

/// Writes a deployment's metastore through Airflow's REST API. The API has no check-and-set:
/// the entry is read again just before writing and the write refused when a visible field
/// changed since the edit began; an update sends only the fields the user changed
/// (`update_mask`), so a field the API hides is never sent and never overwritten; the entry is
/// read back afterwards.
public struct AirflowAPITierWriter: SourceBackedTierWriter {
    public let tier: AirflowAPITier

    public init(tier: AirflowAPITier) {
        self.tier = tier
    }

    var client: AirflowAPIClient { tier.client }
    public var source: AirflowAPITier { tier }
    /// The API takes connections field by field.
    public var connectionForms: [ConnectionForm] { [.fields] }
    public var keepsVariableDescriptions: Bool { true }

    /// Another team's entry is never written: Airflow's lookups for this team skip it, the key
    /// is unique across teams (a create answers 409), and an update would change that team's value.
    public func refusal(for change: TierChange, holding record: TierRecord?) -> EditError? {
        guard let rowTeam = record?.otherTeam(than: tier.teams.team) else { return nil }
        return .otherTeamsRow(change.key, rowTeam: rowTeam, team: tier.teams.team, label: descriptor.label)
    }

    public func read(_ key: SecretKey) async throws -> EntryState {
        _ = try requireName(for: key)
        return try await current(key)?.state ?? .absent
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let before = try await current(key)
        if let rowTeam = before?.otherTeam(than: tier.teams.team) {
            throw EditError.otherTeamsRow(key, rowTeam: rowTeam, team: tier.teams.team, label: descriptor.label)
        }
        try checkUnchanged(before?.state ?? .absent, base: base, name: name)
        var notes: [String] = []
        do {
            switch change.action {
            case .delete:
                guard before != nil else {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was deleted by someone else since Strata read it.")
                }
                try await client.delete(key)
            case .set(let value, let form):
                guard form == .fields || value.kind == .variable else {
                    throw EditError(.invalid, "\(descriptor.label) takes connections field by field; use the fields form.")
                }
                if let before {
                    let (body, mask) = try AirflowAPIWriteBody.update(key, from: before, to: value, version: client.version)
                    guard !mask.isEmpty else {
                        return WriteReceipt(name: name, location: descriptor.label, notes: ["nothing changed; nothing was sent"])
                    }
                    try await client.update(key, body: body, mask: mask)
                    if mask.contains("password"), before.hiddenFields.hides("password") {
                        notes.append("the API hides passwords, so the new one could not be read back; test the connection to check it")
                    }
                } else {
                    try await client.create(key, body: try AirflowAPIWriteBody.create(key, value, team: tier.teams.team))
                    if case .connection(let connection) = value, connection.password != nil {
                        notes.append("the API hides passwords, so the new one could not be read back; test the connection to check it")
                    }
                }
            }
        } catch let failure as AirflowAPIFailure {
            throw Self.editError(failure, name: name, label: descriptor.label)
        }
        let after = try await current(key)
        try verify(after, change: change, name: name)
        return WriteReceipt(name: name, location: descriptor.label, created: before == nil && change.newValue != nil, notes: notes)
    }

    /// The entry now, as the tier reads it (with what the API hides). Not scoped by team: the
    /// writer refuses another team's entry rather than treating it as absent.
    func current(_ key: SecretKey) async throws -> TierRecord? {
        do {
            return try await client.record(key)
        } catch let failure as AirflowAPIFailure {
            throw Self.editError(failure, name: key.id, label: descriptor.label)
        }
    }

    /// Checks the entry read back: gone after a delete; after a set, every field the API shows
    /// is what was written (a hidden field cannot be checked, and is said to be).
    private func verify(_ after: TierRecord?, change: TierChange, name: String) throws {
        let failed = EditError(.unverified, "\(name) in \(descriptor.label) was written, but reading it back gave something else. "
                               + "Check it there before editing again.")
        switch change.action {
        case .delete:
            guard after == nil else { throw failed }
        case .set(let value, _):
            guard let after else { throw failed }
            let expected = value.tierValue
            let stored: TierValue
            switch after.state {
            case .present(let present): stored = present
            case .empty: guard expected.isEmptyValue else { throw failed }; return
            default: throw failed
            }
            var written = expected
            if case .connection(var connection) = written {
                // The description is checked apart; an empty password is no password.
                if connection.password == "" { connection.password = nil }
                written = .connection(connection)
            }
            if stored.agreement(with: written, alteration: after.sourceAlteration) == .differs { throw failed }
        }
    }

    static func editError(_ failure: AirflowAPIFailure, name: String, label: String) -> EditError {
        switch failure.kind {
        case .conflict: return EditError(.conflict, failure.message, remedy: .editAgainOnCurrentValue)
        case .invalid: return EditError(.invalid, failure.message)
        case .forbidden: return EditError(.readOnly, failure.message)
        default: return EditError(.failed, "writing \(name) to \(label) failed: \(failure.message)")
        }
    }
}
