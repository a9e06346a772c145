/// How far a tier of a deployment has loaded.
public enum TierLoadState: Sendable {
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
    private let variables: [String: Int]
    private let connections: [String: Int]
    /// Whether no two records of a kind share a name, so a record is the one its own name finds.
    let hasUniqueNames: Bool

    public init(source: any TierSource, snapshot: TierSnapshot, latency: Duration) {
        self.source = source
        self.descriptor = source.descriptor
        self.snapshot = snapshot
        self.latency = latency
        var variables: [String: Int] = [:]
        var connections: [String: Int] = [:]
        let connectionCount = snapshot.records.reduce(0) { $0 + ($1.kind == .connection ? 1 : 0) }
        variables.reserveCapacity(snapshot.records.count - connectionCount)
        connections.reserveCapacity(connectionCount)
        for (index, record) in snapshot.records.enumerated() {
            switch record.kind {
            case .variable: variables[record.name] = index
            case .connection: connections[record.name] = index
            }
        }
        self.variables = variables
        self.connections = connections
        self.hasUniqueNames = variables.count + connections.count == snapshot.records.count
    }

    /// The exact name Airflow looks `key` up under in this tier.
    public func lookupName(for key: SecretKey) -> LookupName {
        source.lookupName(for: key)
    }

    /// The record stored under `name`, if any.
    public func record(kind: SecretKind, name: String) -> TierRecord? {
        recordIndex(kind: kind, name: name).map { snapshot.records[$0] }
    }

    /// The position in `snapshot.records` of the record stored under `name`.
    public func recordIndex(kind: SecretKind, name: String) -> Int? {
        kind == .variable ? variables[name] : connections[name]
    }
}
