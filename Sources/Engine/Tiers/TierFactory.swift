/// Builds the tier sources of a deployment. The Engine's own factory knows the local tiers;
/// the `Backends` module adds the metastore and remote services; tests inject their own.
public protocol TierFactory: Sendable {
    /// The tier slots of `deployment`, in no particular order; each source parses connections
    /// with the dialect Airflow uses for that tier in `context` (on Airflow 3 workers the
    /// workers backend and the environment use the Task SDK parser, tiers reached through the
    /// Execution API the core parser).
    func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot]
}

/// One tier position of a deployment: a source to load, or the reason there is none.
public struct TierSlot: Sendable {
    public var tier: TierID
    public var source: (any TierSource)?
    /// Set when `source` is nil: "not configured", "not connected: Vault arrives in a later version"…
    public var unavailableReason: String?
    /// False when the deployment simply has no such tier (no backend set, no metastore given);
    /// true for a tier that is configured, whether or not it could be set up.
    public var isConfigured: Bool
    public var descriptor: TierDescriptor
    /// For a tier without a source: how it names keys, when its configuration says so (a
    /// backend whose credentials are missing still has a naming scheme).
    public var naming: TierNamer?

    public init(source: any TierSource) {
        self.tier = source.descriptor.tier
        self.source = source
        self.unavailableReason = nil
        self.isConfigured = true
        self.descriptor = source.descriptor
    }

    /// A tier without a source; `configured` says whether that is a problem (a backend that
    /// cannot be set up) or just how the deployment is (nothing configured).
    public init(unavailable descriptor: TierDescriptor, reason: String, configured: Bool = true, naming: TierNamer? = nil) {
        self.tier = descriptor.tier
        self.source = nil
        self.unavailableReason = reason
        self.isConfigured = configured
        self.descriptor = descriptor
        self.naming = naming
    }
}
