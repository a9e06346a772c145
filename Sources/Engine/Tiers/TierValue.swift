/// A value a tier holds for one key.
public enum TierValue: Sendable, Hashable {
    case variable(String)
    /// Boxed: a connection is many words wide, and every state and resolution holding a
    /// value would otherwise carry that width inline.
    indirect case connection(Connection)
}

/// What a tier has for one key. `empty` and `absent` are kept apart: an empty variable is a hit
/// in Airflow, an empty connection value is a miss, and a missing name is a miss in both.
public enum EntryState: Sendable, Hashable {
    case present(TierValue)
    case empty
    case absent
    /// The tier holds something under this name but it cannot be used (parse error, decryption
    /// failure, permission denied…). The reason never contains the secret value.
    /// The reason is safe to show: built from Airflow's error text, it is redacted
    /// (`SecretRedaction`), and the exact text is kept in `TierRecord.exactReason` for `--reveal`.
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
///
/// A record is one reference wide: its fields live in a shared, copy-on-write box, so the
/// resolver, the list and the detail pane can hold hundreds of thousands of copies for the price
/// of a retain each. A tier that lists a very large file may instead hand out rows of a
/// `TierRecordTable`: the record is then a reference to the table and a row number, and its
/// fields are read from the table's shared bytes when asked for (a 50 MB file gives a million
/// records, and a box and strings of their own for each would be several times the file).
public struct TierRecord: Sendable, Hashable {
    private var backing: Backing

    private enum Backing: Sendable {
        case box(TierRecordStorage)
        case row(TierRecordTable, UInt32)
    }

    public init(kind: SecretKind, name: String, suggestedID: String, state: EntryState,
                rawText: String? = nil, metadata: [String: String] = [:]) {
        backing = .box(TierRecordStorage(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                         rawText: rawText, metadata: metadata.isEmpty ? .none : .dictionary(metadata)))
    }

    /// A record whose metadata is given as pairs with distinct keys: kept as a flat list, which
    /// is smaller and quicker to build than a dictionary for the tiers that list many records.
    package init(kind: SecretKind, name: String, suggestedID: String, state: EntryState,
                 rawText: String? = nil, metadataPairs: [(String, String)]) {
        backing = .box(TierRecordStorage(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                         rawText: rawText, metadata: TierRecordMetadata(pairs: metadataPairs)))
    }

    /// A record read from `path` at `line` (1-based), its metadata held inline; `fromEnvFile`
    /// adds `source: env file`, as the pairs `file`, `line`, `source` would.
    init(kind: SecretKind, name: String, suggestedID: String, state: EntryState, rawText: String? = nil,
         file path: String, line: Int, fromEnvFile: Bool = false) {
        backing = .box(TierRecordStorage(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                         rawText: rawText, metadata: .file(path: path, line: line, fromEnvFile: fromEnvFile)))
    }

    /// Row `row` of `table`, read from it when asked for.
    init(table: TierRecordTable, row: Int) {
        precondition(row >= 0 && row < table.count, "a table record's row is one of the table's")
        backing = .row(table, UInt32(truncatingIfNeeded: row))
    }

    /// The fields, from the box or built from the table's row.
    private var storage: TierRecordStorage {
        switch backing {
        case .box(let storage): return storage
        case .row(let table, let row): return table.materialize(Int(row)).boxedStorage
        }
    }

    /// The box of a record made by `init(kind:…)` (a table's materializer makes only those).
    fileprivate var boxedStorage: TierRecordStorage {
        switch backing {
        case .box(let storage): return storage
        case .row: preconditionFailure("a table's materializer returns a boxed record")
        }
    }

    public var kind: SecretKind {
        get {
            if case .row(let table, let row) = backing { return table.kind(Int(row)) }
            return storage.kind
        }
        set { uniqueStorage().kind = newValue }
    }

    /// The exact name in the tier (`AIRFLOW_CONN_MY_DB`, `airflow/connections/my_db`, a file key…).
    public var name: String {
        get {
            if case .row(let table, let row) = backing { return table.name(Int(row)) }
            return storage.name
        }
        set { uniqueStorage().name = newValue }
    }

    /// The id Strata shows when no other tier names this key (for example `my_db` for
    /// `AIRFLOW_CONN_MY_DB`). Lookups still go through the tier's naming rule.
    public var suggestedID: String {
        get { storage.suggestedID }
        set { uniqueStorage().suggestedID = newValue }
    }

    public var state: EntryState {
        get { storage.state }
        set { uniqueStorage().state = newValue }
    }

    /// The text as stored (a URI, a JSON document, a variable's text) when the tier stores text.
    public var rawText: String? {
        get { storage.rawText }
        set { uniqueStorage().rawText = newValue }
    }

    /// Tier-specific facts for the detail pane: version, stages, last change, source file and line…
    public var metadata: [String: String] {
        get { storage.metadata.dictionary }
        set {
            let exact = exactReason
            let base: TierRecordMetadata = newValue.isEmpty ? .none : .dictionary(newValue)
            uniqueStorage().metadata = exact.map { .revealing(base, exactReason: $0) } ?? base
        }
    }

    /// The exact text of an `unreadable` reason whose shown text was redacted (Airflow's error
    /// quoted the stored value): only `--reveal` and the TUI's reveal may show it.
    public var exactReason: String? {
        get {
            if case .revealing(_, let exact) = storage.metadata { return exact }
            return nil
        }
        set {
            let base = storage.metadata.base
            uniqueStorage().metadata = newValue.map { .revealing(base, exactReason: $0) } ?? base
        }
    }

    /// Whether Airflow stops at this record (a value, or an empty variable), read in place.
    func stateWins(kind: SecretKind) -> Bool {
        switch storage.state {
        case .present: return true
        case .empty: return kind == .variable
        case .absent, .unreadable: return false
        }
    }

    /// One metadata value, without building the dictionary.
    public func metadataValue(forKey key: String) -> String? {
        storage.metadata.value(forKey: key)
    }

    public static func == (lhs: TierRecord, rhs: TierRecord) -> Bool {
        switch (lhs.backing, rhs.backing) {
        case (.box(let l), .box(let r)) where l === r: return true
        case (.row(let lt, let lr), .row(let rt, let rr)) where lt === rt && lr == rr: return true
        default: break
        }
        let l = lhs.storage, r = rhs.storage
        return l.kind == r.kind && l.name == r.name && l.suggestedID == r.suggestedID && l.state == r.state
            && l.rawText == r.rawText && l.metadata.dictionary == r.metadata.dictionary
            && lhs.exactReason == rhs.exactReason
    }

    public func hash(into hasher: inout Hasher) {
        let storage = self.storage
        hasher.combine(storage.kind)
        hasher.combine(storage.name)
        hasher.combine(storage.suggestedID)
        hasher.combine(storage.state)
        hasher.combine(storage.rawText)
        hasher.combine(storage.metadata.dictionary)
    }

    private mutating func uniqueStorage() -> TierRecordStorage {
        switch backing {
        case .row:
            // A changed row is a record of its own from now on.
            let copy = storage.copy()
            backing = .box(copy)
            return copy
        case .box(var box):
            // Let go of the backing's own reference, so that `box` is unique when nobody else holds it.
            backing = .row(TierRecordTable.placeholder, 0)
            if !isKnownUniquelyReferenced(&box) {
                box = box.copy()
            }
            backing = .box(box)
            return box
        }
    }
}

/// The fields of a `TierRecord`. Only mutated through a uniquely referenced record
/// (copy-on-write), so sharing it between threads is safe.
///
/// The fields are declared in this order so that the one-byte `kind` fills the padding after
/// `state`'s tag: the instance is then 113 bytes, a 128-byte heap block instead of 144, and a
/// file of a million lines gives a million of these.
private final class TierRecordStorage: @unchecked Sendable {
    var name: String
    var suggestedID: String
    var rawText: String?
    var state: EntryState
    var kind: SecretKind
    var metadata: TierRecordMetadata

    init(kind: SecretKind, name: String, suggestedID: String, state: EntryState,
         rawText: String?, metadata: TierRecordMetadata) {
        self.kind = kind
        self.name = name
        self.suggestedID = suggestedID
        self.state = state
        self.rawText = rawText
        self.metadata = metadata
    }

    func copy() -> TierRecordStorage {
        TierRecordStorage(kind: kind, name: name, suggestedID: suggestedID, state: state,
                          rawText: rawText, metadata: metadata)
    }
}

/// A record's metadata as it was given: a dictionary, or a flat list of pairs with distinct keys.
enum TierRecordMetadata: Sendable {
    case none
    case dictionary([String: String])
    case pairs([(String, String)])
    /// The metadata, and the exact reason of a redacted `unreadable` state. Boxed, so the rare
    /// record that has one costs nothing to the others.
    indirect case revealing(TierRecordMetadata, exactReason: String)
    /// `file`, `line` and perhaps `source: env file`, the metadata of nearly every record read
    /// from a file, held inline and small: a file of a million lines gives a million records,
    /// and a list of pairs costs each of them an allocation.
    case file(path: String, line: Int, fromEnvFile: Bool)

    static let envFileSource = "env file"

    /// Pairs with distinct keys, in the compact form when they are exactly file and line (and
    /// `source: env file`) with a line number that reads back the same.
    init(pairs: [(String, String)]) {
        if pairs.isEmpty {
            self = .none
        } else if pairs.count == 2 || pairs.count == 3, pairs[0].0 == "file", pairs[1].0 == "line",
                  let line = Int(pairs[1].1), String(line) == pairs[1].1,
                  pairs.count == 2 || (pairs[2].0 == "source" && pairs[2].1 == Self.envFileSource) {
            self = .file(path: pairs[0].1, line: line, fromEnvFile: pairs.count == 3)
        } else {
            self = .pairs(pairs)
        }
    }

    var dictionary: [String: String] {
        switch self {
        case .none: return [:]
        case .dictionary(let dictionary): return dictionary
        case .pairs(let pairs): return Dictionary(pairs, uniquingKeysWith: { _, last in last })
        case .revealing(let base, _): return base.dictionary
        case .file(let path, let line, let fromEnvFile):
            var dictionary = ["file": path, "line": String(line)]
            if fromEnvFile { dictionary["source"] = Self.envFileSource }
            return dictionary
        }
    }

    /// The metadata without the exact reason.
    var base: TierRecordMetadata {
        if case .revealing(let base, _) = self { return base }
        return self
    }

    func value(forKey key: String) -> String? {
        switch self {
        case .none: return nil
        case .dictionary(let dictionary): return dictionary[key]
        case .pairs(let pairs): return pairs.last { $0.0 == key }?.1
        case .revealing(let base, _): return base.value(forKey: key)
        case .file(let path, let line, let fromEnvFile):
            switch key {
            case "file": return path
            case "line": return String(line)
            case "source": return fromEnvFile ? Self.envFileSource : nil
            default: return nil
            }
        }
    }
}
