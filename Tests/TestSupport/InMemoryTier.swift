import Engine

/// A tier source over records held in memory, with a naming rule given by the test.
/// It implements the Engine's own protocol; it stands in for no external service.
public struct InMemoryTier: TierSource {
    public let descriptor: TierDescriptor
    public let records: [TierRecord]
    private let naming: @Sendable (SecretKey) -> LookupName
    private let failure: String?

    public init(_ tier: TierID, label: String? = nil, records: [TierRecord],
                failure: String? = nil,
                naming: @escaping @Sendable (SecretKey) -> LookupName = { .name($0.id) }) {
        self.descriptor = TierDescriptor(tier: tier, label: label ?? tier.rawValue)
        self.records = records
        self.naming = naming
        self.failure = failure
    }

    public func lookupName(for key: SecretKey) -> LookupName { naming(key) }

    public func load() async throws -> TierSnapshot {
        if let failure { throw TierError(failure) }
        return TierSnapshot(records: records)
    }

    /// The environment tier's rule: `AIRFLOW_VAR_` / `AIRFLOW_CONN_` plus the upper-cased id.
    public static let environmentNaming: @Sendable (SecretKey) -> LookupName = { key in
        .name((key.kind == .variable ? "AIRFLOW_VAR_" : "AIRFLOW_CONN_") + key.id.uppercased())
    }
}

/// A tier factory over fixed sources, for tests that drive the loader.
public struct FixedTierFactory: TierFactory {
    public let slots: [TierSlot]
    public init(_ sources: [any TierSource]) { self.slots = sources.map(TierSlot.init(source:)) }
    public init(slots: [TierSlot]) { self.slots = slots }
    public func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] { slots }
}

extension TierRecord {
    /// A variable record whose suggested id is its name.
    public static func variable(_ name: String, _ value: String, id: String? = nil) -> TierRecord {
        TierRecord(kind: .variable, name: name, suggestedID: id ?? name,
                   state: value.isEmpty ? .empty : .present(.variable(value)), rawText: value)
    }

    /// A connection record whose suggested id is its name.
    public static func connection(_ name: String, _ connection: Connection, id: String? = nil) -> TierRecord {
        TierRecord(kind: .connection, name: name, suggestedID: id ?? name, state: .present(.connection(connection)))
    }

    /// A record in any state.
    public static func record(_ kind: SecretKind, _ name: String, id: String? = nil, _ state: EntryState) -> TierRecord {
        TierRecord(kind: kind, name: name, suggestedID: id ?? name, state: state)
    }
}
