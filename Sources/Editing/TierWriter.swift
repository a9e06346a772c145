import Engine
/// Writes variables and connections to one tier of one deployment.
///
/// Every change is guarded: `apply` first reads what the tier holds now and refuses with an
/// `EditError(.conflict)` when it is not `base`, the state the edit started from; it uses the
/// tier's own check-and-set where there is one; and it reads the value back afterwards,
/// throwing `EditError(.unverified)` when it differs. Messages never hold a value.
public protocol TierWriter: Sendable {
    /// The tier written, as the loaded tier describes itself.
    var descriptor: TierDescriptor { get }

    /// The forms a connection can be stored in here, the usual one first. Empty when the tier
    /// cannot hold connections.
    var connectionForms: [ConnectionForm] { get }

    /// Whether a variable's description is kept.
    var keepsVariableDescriptions: Bool { get }

    /// Whether writes of different keys may run at once (a remote service); file and
    /// database tiers are written one key at a time.
    var writesInParallel: Bool { get }

    /// The name `key` is stored under, or why this tier never holds it. With a team (Airflow
    /// 3.2+ multi-team) this is the team's name, the one a new key is written under.
    func lookupName(for key: SecretKey) -> LookupName

    /// Multi-team: the global name Airflow reads `key` from when the team's name holds nothing;
    /// an existing value found there is rewritten there. Nil without a team.
    func globalLookupName(for key: SecretKey) -> LookupName?

    /// What the tier holds for `key` right now, parsed as its tier source parses it.
    func read(_ key: SecretKey) async throws -> EntryState

    /// The connection Airflow reads back once `connection` is stored here in `form` (parsed
    /// with `dialect` unless the tier knows its own), and what the form drops; throws
    /// `EditError(.invalid)` when the form cannot hold it at all. Nothing is written.
    func connectionReadBack(_ connection: Connection, as form: ConnectionForm, key: SecretKey,
                            dialect: ConnectionDialect) throws -> StoredConnectionText

    /// Why the tier cannot take `change` at all (a value the service rejects), before anything
    /// is sent; nil when it can. Messages name the key, never the value.
    func refusal(for change: TierChange) -> EditError?

    /// Why the tier cannot take `change` given `record`, what it holds for the key as loaded (a
    /// metastore row of another team); nil when it can.
    func refusal(for change: TierChange, holding record: TierRecord?) -> EditError?

    /// Applies `change` when the tier still holds `base` for the key, then verifies it.
    func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt
}

extension TierWriter {
    public var tier: TierID { descriptor.tier }

    public var writesInParallel: Bool { false }

    public func refusal(for change: TierChange) -> EditError? { nil }

    public func refusal(for change: TierChange, holding record: TierRecord?) -> EditError? { refusal(for: change) }

    public func globalLookupName(for key: SecretKey) -> LookupName? { nil }

    /// The name `change` is written under: the one the planner chose (it must be one of the
    /// names Airflow reads the key from here), else the tier's lookup name; or an
    /// `EditError(.invalid)` saying why the tier never holds the key.
    public func requireName(for change: TierChange) throws -> String {
        let name = try requireName(for: change.key)
        guard let chosen = change.name, chosen != name else { return name }
        guard globalLookupName(for: change.key)?.name == chosen else {
            throw EditError(.invalid, "\(descriptor.label) does not read \(change.key) from \(InertText.make(chosen)); nothing was written.")
        }
        return chosen
    }

    /// Field forms (database columns, settings entries) hold every field as it is; text forms
    /// are what Airflow parses back from the URI or JSON text.
    public func connectionReadBack(_ connection: Connection, as form: ConnectionForm, key: SecretKey,
                                   dialect: ConnectionDialect) throws -> StoredConnectionText {
        let name = lookupName(for: key).name ?? key.id
        if form == .fields { return StoredConnectionText(text: "", readBack: connection, notes: []) }
        return try StoredConnectionText.make(connection, form: form, dialect: dialect, name: name, label: descriptor.label)
    }

    /// The name for `key`, or an `EditError(.invalid)` saying why the tier never holds it.
    public func requireName(for key: SecretKey) throws -> String {
        switch lookupName(for: key) {
        case .name(let name): return name
        case .skipped(let reason):
            throw EditError(.invalid, "\(descriptor.label) cannot hold \(key): \(reason); Airflow would never read it there.")
        }
    }

    /// What Airflow reads for `key` here, given `reading` (the state stored under one name):
    /// the lookup name's, and with a team (multi-team) the global name's when the team's holds
    /// nothing — or, where `passesOverEmpty`, an empty value, which Airflow skips.
    public func readAsLookedUp(_ key: SecretKey, passesOverEmpty: Bool = false,
                               reading: (String) async throws -> EntryState) async throws -> EntryState {
        let state = try await reading(try requireName(for: key))
        guard let global = globalLookupName(for: key)?.name else { return state }
        switch state {
        case .absent: return try await reading(global)
        case .empty where passesOverEmpty: return try await reading(global)
        default: return state
        }
    }

    /// Throws `EditError(.conflict)` unless `current` is `base`.
    public func checkUnchanged(_ current: EntryState, base: EntryState, name: String) throws {
        guard current != base else { return }
        let what: String
        switch (base, current) {
        case (.absent, _): what = "was created by someone else"
        case (_, .absent): what = "was deleted by someone else"
        default: what = "changed"
        }
        throw EditError(.conflict, "\(name) in \(descriptor.label) \(what) since Strata read it; nothing was written.",
                        remedy: .editAgainOnCurrentValue)
    }

    /// Throws `EditError(.unverified)` unless reading back gives what `change` stored.
    public func checkStored(_ readBack: EntryState, after change: TierChange, name: String) throws {
        let expected: Bool
        switch change.action {
        case .delete:
            expected = readBack == .absent
        case .set(let value, _):
            switch readBack {
            case .present(let stored): expected = stored.isEquivalentForWrite(to: value.tierValue)
            case .empty: expected = value.tierValue.isEmptyValue
            default: expected = false
            }
        }
        guard expected else {
            throw EditError(.unverified, "\(name) in \(descriptor.label) was written, but reading it back gave something else. "
                            + "Check it there before editing again.")
        }
    }
}

extension TierValue {
    /// Whether a value read back is what was written. Descriptions are not compared: most
    /// tiers do not keep them.
    func isEquivalentForWrite(to other: TierValue) -> Bool {
        switch (self, other) {
        case let (.connection(a), .connection(b)):
            var a = a, b = b
            a.description = nil
            b.description = nil
            return a == b || TierValue.connection(a).differingFields(from: .connection(b)).isEmpty
        default:
            return self == other
        }
    }

    /// Whether storing this value leaves the key empty (an empty variable).
    public var isEmptyValue: Bool {
        switch self {
        case .variable(let text): return text.isEmpty
        case .connection: return false
        }
    }
}
