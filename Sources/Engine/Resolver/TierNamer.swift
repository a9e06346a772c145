/// How a tier names a key, kept for a tier that has no snapshot to ask: one still loading, one
/// that failed, one that could not be set up. The name Airflow would look up is known from the
/// configuration alone, and it is what an operator needs most when the tier is down.
public struct TierNamer: Sendable {
    private let name: @Sendable (SecretKey) -> LookupName

    public init(_ name: @escaping @Sendable (SecretKey) -> LookupName) {
        self.name = name
    }

    /// The name of `key` in the tier.
    public func callAsFunction(_ key: SecretKey) -> LookupName { name(key) }
}
