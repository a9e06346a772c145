/// How one key resolves in a deployment: the tier that supplies its value and what every
/// other tier holds for it.
public struct Resolution: Sendable, Identifiable, Equatable {
    public var key: SecretKey
    /// The tier Airflow takes the value from, or nil when no tier supplies one.
    public var winner: TierID?
    /// Every tier of the chain, in lookup order.
    public var tiers: [TierResolution]
    /// Other ids that share this key's name in some tier (`my_var` and `MY_VAR` both read
    /// `AIRFLOW_VAR_MY_VAR`), so one silently answers for the other.
    public var collisions: [String]

    public var id: SecretKey { key }

    /// The winning tier's entry.
    public var winning: TierResolution? {
        guard let winner else { return nil }
        return tiers.first { $0.tier == winner }
    }

    /// The value Airflow would return.
    public var value: TierValue? {
        if case .present(let value) = winning?.state { return value }
        if case .empty = winning?.state, key.kind == .variable { return .variable("") }
        return nil
    }

    /// Tiers below the winner that also hold a value for this key.
    public var shadowed: [TierResolution] {
        tiers.filter { $0.comparison == .same || $0.comparison == .differs || $0.comparison == .cannotTell }
    }

    /// Whether a shadowed tier holds a different value from the winner's.
    public var hasDifferences: Bool { tiers.contains { $0.comparison == .differs } }

    /// Whether some tier holds something for this key that cannot be read.
    public var hasUnreadable: Bool {
        tiers.contains { if case .unreadable = $0.state { return true } else { return false } }
    }
}

/// What one tier has for a key.
public struct TierResolution: Sendable, Equatable {
    public var tier: TierID
    public var label: String
    public var comparison: Comparison
    /// The stored record, for the detail pane (raw text, version, file and line…). One
    /// reference wide: a deployment resolves hundreds of thousands of these.
    public var record: TierRecord?
    /// Set when the row was found through its record: the name looked up is then the record's
    /// name and the state the record's, read from the record when asked for. Copying them into
    /// every row would touch each record's strings and values, which is most of the cost of
    /// resolving a large deployment.
    private var derivedFromRecord: Bool
    private var storedLookup: LookupName?
    private var storedState: ResolvedState

    public init(tier: TierID, label: String, lookup: LookupName?, state: ResolvedState,
                comparison: Comparison, record: TierRecord?) {
        self.tier = tier
        self.label = label
        self.storedLookup = lookup
        self.comparison = comparison
        self.storedState = state
        self.record = record
        self.derivedFromRecord = false
    }

    /// The row of a tier whose lookup found `record`.
    init(tier: TierID, label: String, found record: TierRecord) {
        self.tier = tier
        self.label = label
        self.storedLookup = nil
        self.comparison = .none
        self.storedState = .absent
        self.record = record
        self.derivedFromRecord = true
    }

    /// The name looked up in this tier; nil when the tier is not loaded or not available.
    public var lookup: LookupName? {
        get {
            if derivedFromRecord, let record { return .name(record.name) }
            return storedLookup
        }
        set {
            storedState = state
            storedLookup = newValue
            derivedFromRecord = false
        }
    }

    /// The tier's state for this key.
    public var state: ResolvedState {
        get {
            if derivedFromRecord, let record { return ResolvedState(record.state) }
            return storedState
        }
        set {
            storedLookup = lookup
            storedState = newValue
            derivedFromRecord = false
        }
    }

    /// Whether Airflow stops at this tier: any variable text, including "", and any connection
    /// that parses. Read without copying the value out.
    func wins(kind: SecretKind) -> Bool {
        if derivedFromRecord, let record { return record.stateWins(kind: kind) }
        return Resolver.wins(storedState, kind: kind)
    }

    /// How this tier's value relates to the winner's.
    public enum Comparison: String, Sendable, Hashable {
        case winner
        case same
        case differs
        /// The fields both show agree, but a source hid or re-serialised one (the REST API's
        /// `***`), so whether the values are the same cannot be told.
        case cannotTell = "cannot_tell"
        /// Nothing to compare: the tier has no usable value, or nothing won.
        case none
    }
}

/// A tier's state for one key, including the reasons a tier was never asked.
public enum ResolvedState: Sendable, Hashable {
    case present(TierValue)
    case empty
    case absent
    case unreadable(reason: String)
    /// The tier's naming rule never asks for this key.
    case skipped(reason: String)
    /// The tier has not finished loading.
    case loading
    /// The tier could not be loaded.
    case unavailable(reason: String)
    /// The deployment has no such tier (no backend configured, no metastore given).
    case notConfigured(reason: String)

    init(_ entry: EntryState) {
        switch entry {
        case .present(let value): self = .present(value)
        case .empty: self = .empty
        case .absent: self = .absent
        case .unreadable(let reason): self = .unreadable(reason: reason)
        }
    }

    /// The stable name used in `--json` output.
    public var name: String {
        switch self {
        case .present: return "present"
        case .empty: return "empty"
        case .absent: return "absent"
        case .unreadable: return "unreadable"
        case .skipped: return "skipped"
        case .loading: return "loading"
        case .unavailable: return "unavailable"
        case .notConfigured: return "not_configured"
        }
    }

    /// Why this tier gives no value, when there is a reason to tell.
    public var reason: String? {
        switch self {
        case .unreadable(let r), .skipped(let r), .unavailable(let r), .notConfigured(let r): return r
        default: return nil
        }
    }
}
