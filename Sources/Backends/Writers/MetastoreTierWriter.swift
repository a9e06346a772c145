import Editing
import Engine
import Metastore

/// The guarded writer of a deployment's metastore (SQLite or PostgreSQL). It reads the row
/// now, compares what Airflow would read from it with the edit's base, then writes expecting
/// that very row: the database transaction refuses the write when the row changed after
/// this read, so the check and the write are one check-and-set. Values are Fernet-encrypted
/// with the deployment's first key, as Airflow stores them; descriptions are kept.
public struct MetastoreTierWriter: SourceBackedTierWriter {
    public let tier: MetastoreTier

    public init(tier: MetastoreTier) {
        self.tier = tier
    }

    public var source: MetastoreTier { tier }
    /// Connections are stored column by column.
    public var connectionForms: [ConnectionForm] { [.fields] }
    public var keepsVariableDescriptions: Bool { true }

    /// Another team's row is never written: Airflow's lookups for this team skip it, and the key
    /// is unique across teams (the database refuses it too, inside the write's transaction).
    public func refusal(for change: TierChange, holding record: TierRecord?) -> EditError? {
        guard let rowTeam = record?.otherTeam(than: tier.team) else { return nil }
        return .otherTeamsRow(change.key, rowTeam: rowTeam, team: tier.team, label: descriptor.label)
    }

    public func read(_ key: SecretKey) async throws -> EntryState {
        _ = try requireName(for: key)
        return try await current(key).state
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let before = try await current(key)
        try checkUnchanged(before.state, base: base, name: name)
        let writer = MetastoreWriter(tier: tier)
        let location = descriptor.detail.isEmpty ? descriptor.label : "\(descriptor.label) \(descriptor.detail)"
        var expected = change
        var notes: [String] = []
        do {
            switch (change.action, before.row) {
            case (.delete, .variable(let row)?):
                try await writer.deleteVariable(key.id, expecting: .unchanged(row))
            case (.delete, .connection(let row)?):
                try await writer.deleteConnection(key.id, expecting: .unchanged(row))
            case (.delete, nil):
                throw EditError(.conflict, "\(name) in \(descriptor.label) was deleted by someone else since Strata read it.")
            case (.set(.variable(let text, let description), _), let row):
                var kept: String?
                if case .variable(let old)? = row { kept = old.description }
                try await writer.setVariable(key.id, value: text, description: description ?? kept,
                                             expecting: row.map(Self.expectation) ?? .absent)
            case (.set(.connection(let connection), let form), let row):
                guard form == .fields else {
                    throw EditError(.invalid, "\(descriptor.label) stores connections column by column; use the fields form.")
                }
                try await writer.setConnection(key.id, connection, expecting: row.map(Self.expectation) ?? .absent)
                // An empty password is stored as NULL, as Airflow stores it.
                var stored = connection
                if stored.password == "" { stored.password = nil }
                expected = .set(key, .connection(stored), form: form)
            }
        } catch let error as MetastoreError {
            throw Self.editError(error, name: name, label: descriptor.label)
        }
        let after = try await current(key)
        try checkStored(after.state, after: expected, name: name)
        if case .set(.variable(_, let description?), _) = change.action, after.description != description {
            throw EditError(.unverified, "\(name) in \(descriptor.label) was written, but its description reads back differently. "
                            + "Check it there before editing again.")
        }
        if case .set(.connection(let connection), _) = change.action, after.description != connection.description {
            notes.append("the description reads back differently; check it in the metastore")
        }
        return WriteReceipt(name: name, location: location, version: nil,
                            created: before.row == nil && change.newValue != nil, notes: notes)
    }

    enum Row {
        case variable(MetastoreVariableRow)
        case connection(MetastoreConnectionRow)
    }

    struct Current {
        var state: EntryState
        var row: Row?
        var description: String?
    }

    static func expectation(_ row: Row) -> MetastoreExpectation {
        switch row {
        case .variable(let row): return .unchanged(row)
        case .connection(let row): return .unchanged(row)
        }
    }

    /// The row for `key` now, decoded as the tier decodes it.
    func current(_ key: SecretKey) async throws -> Current {
        let readout: MetastoreReadout
        do {
            readout = try await tier.read()
        } catch let error as MetastoreError {
            throw Self.editError(error, name: key.id, label: descriptor.label)
        }
        switch key.kind {
        case .variable:
            guard let index = readout.variables.firstIndex(where: { $0.key == key.id }) else { return Current(state: .absent) }
            let row = readout.variables[index]
            return Current(state: readout.variableRecords[index].state, row: .variable(row), description: row.description)
        case .connection:
            guard let index = readout.connections.firstIndex(where: { $0.connID == key.id }) else { return Current(state: .absent) }
            let row = readout.connections[index]
            return Current(state: readout.connectionRecords[index].state, row: .connection(row), description: row.description)
        }
    }

    static func editError(_ error: MetastoreError, name: String, label: String) -> EditError {
        switch error.kind {
        case .conflict: return EditError(.conflict, error.message)
        case .invalidValue: return EditError(.invalid, error.message)
        case .readOnly: return EditError(.readOnly, error.message)
        default: return EditError(.failed, "writing \(name) to \(label) failed: \(error.message)")
        }
    }
}
