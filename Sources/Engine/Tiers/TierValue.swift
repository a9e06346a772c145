/// A value a tier holds for one key.
public enum TierValue: Sendable, Hashable {
    case variable(String)
    case connection(Connection)
}

/// What a tier has for one key. `empty` and `absent` are kept apart: an empty variable is a hit
/// in Airflow, an empty connection value is a miss, and a missing name is a miss in both.
public enum EntryState: Sendable, Hashable {
    case present(TierValue)
    case empty
    case absent
    /// The tier holds something under this name but it cannot be used (parse error, decryption
    /// failure, permission denied…). The reason never contains the secret value.
    case unreadable(reason: String)
}

/// The exact name a tier looks a key up under, or why it never looks it up.
public enum LookupName: Sendable, Hashable {
    case name(String)
    /// The tier will not be asked for this key (a lookup pattern that does not match, a name the
    /// service cannot hold, a kind disabled with a null prefix…).
    case skipped(reason: String)

    public var name: String? {
        if case .name(let n) = self { return n }
        return nil
    }
}

/// One stored item of a tier, as found when listing it.
public struct TierRecord: Sendable, Hashable {
    public var kind: SecretKind
    /// The exact name in the tier (`AIRFLOW_CONN_MY_DB`, `airflow/connections/my_db`, a file key…).
    public var name: String
    /// The id Strata shows when no other tier names this key (for example `my_db` for
    /// `AIRFLOW_CONN_MY_DB`). Lookups still go through the tier's naming rule.
    public var suggestedID: String
    public var state: EntryState
    /// The text as stored (a URI, a JSON document, a variable's text) when the tier stores text.
    public var rawText: String?
    /// Tier-specific facts for the detail pane: version, stages, last change, source file and line…
    public var metadata: [String: String]

    public init(kind: SecretKind, name: String, suggestedID: String, state: EntryState,
                rawText: String? = nil, metadata: [String: String] = [:]) {
        self.kind = kind
        self.name = name
        self.suggestedID = suggestedID
        self.state = state
        self.rawText = rawText
        self.metadata = metadata
    }
}
