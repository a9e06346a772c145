/// How far a tier of a deployment has loaded.
public enum TierLoadState: Sendable, Equatable {
    case loading
    case loaded(LoadedTier)
    /// The whole tier could not be read; the reason says what to check.
    case failed(reason: String)
    /// There is no source for this tier (not configured, or not supported yet).
    case unavailable(reason: String)
}

/// A tier's snapshot indexed by name, with the source's naming rule, ready for resolution.
public struct LoadedTier: Sendable {
    public let descriptor: TierDescriptor
    public let snapshot: TierSnapshot
    /// How long `load()` took.
    public let latency: Duration
    private let source: any TierSource
    /// Each distinct (kind, name), and the record it finds: the last one listed under that
    /// name, as a dictionary filled in listing order would hold.
    private let names: NameIndex
    private let recordOfName: [Int32]
    /// Whether no two records of a kind share a name, so a record is the one its own name finds.
    let hasUniqueNames: Bool

    public init(source: any TierSource, snapshot: TierSnapshot, latency: Duration) {
        self.source = source
        self.descriptor = source.descriptor
        self.snapshot = snapshot
        self.latency = latency
        let records = snapshot.records
        var names = NameIndex(capacity: records.count)
        var recordOfName: [Int32] = []
        recordOfName.reserveCapacity(records.count)
        for index in records.indices {
            let (position, inserted) = names.insert(records[index].name, kind: records[index].kind)
            if inserted { recordOfName.append(Int32(index)) } else { recordOfName[position] = Int32(index) }
        }
        self.names = names
        self.recordOfName = recordOfName
        self.hasUniqueNames = names.count == records.count
    }

    /// The exact name Airflow looks `key` up under in this tier.
    public func lookupName(for key: SecretKey) -> LookupName {
        source.lookupName(for: key)
    }

    /// The global name Airflow tries when the team's name misses (multi-team), if any.
    public func globalLookupName(for key: SecretKey) -> LookupName? {
        source.globalLookupName(for: key)
    }

    /// Whether Airflow goes past `record`, found under the team's name, to the global name.
    public func passesOver(teamRecord record: TierRecord) -> Bool {
        source.passesOver(teamRecord: record)
    }

    /// The record stored under `name`, if any.
    public func record(kind: SecretKind, name: String) -> TierRecord? {
        recordIndex(kind: kind, name: name).map { snapshot.records[$0] }
    }

    /// The position in `snapshot.records` of the record stored under `name`.
    public func recordIndex(kind: SecretKind, name: String) -> Int? {
        names.position(of: name, kind: kind).map { Int(recordOfName[$0]) }
    }
}
