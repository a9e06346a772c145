/// A deployment's tiers as loaded so far, and how its keys resolve through them.
public struct DeploymentState: Sendable {
    public var deployment: Deployment
    public var context: LookupContext
    /// The tiers in lookup order, each with what has loaded.
    public var chain: [TierID]
    public var descriptors: [TierID: TierDescriptor]
    public var tiers: [TierID: TierLoadState]
    /// The tiers the deployment simply does not have (no backend set, no metastore given):
    /// `unavailable`, but not a problem.
    public var unconfigured: Set<TierID>
    /// The exact text of a `failed` reason that was redacted; only `--reveal` shows it.
    public var exactFailureReasons: [TierID: String] = [:]
    /// How each tier names keys, for the rows of tiers that have no snapshot (loading, failed,
    /// not set up): a source's own naming, or the one its configuration gives.
    public var namers: [TierID: TierNamer] = [:]

    /// A state whose tiers are all still loading (or unavailable where there is no source).
    public init(deployment: Deployment, context: LookupContext, slots: [TierSlot]) {
        self.deployment = deployment
        self.context = context
        let hasWorkers = slots.contains { $0.tier == .workersBackend && $0.source != nil }
        self.chain = LookupChain.tiers(version: deployment.airflowVersion, context: context,
                                       hasWorkersBackend: hasWorkers)
        var descriptors: [TierID: TierDescriptor] = [:]
        var tiers: [TierID: TierLoadState] = [:]
        var unconfigured: Set<TierID> = []
        for slot in slots where chain.contains(slot.tier) {
            if let source = slot.source {
                namers[slot.tier] = TierNamer { source.lookupName(for: $0) }
            } else if let naming = slot.naming {
                namers[slot.tier] = naming
            }
            descriptors[slot.tier] = slot.descriptor
            tiers[slot.tier] = slot.source == nil ? .unavailable(reason: slot.unavailableReason ?? "not configured") : .loading
            if slot.source == nil && !slot.isConfigured { unconfigured.insert(slot.tier) }
        }
        for id in chain where tiers[id] == nil {
            descriptors[id] = TierDescriptor(tier: id, label: id.rawValue)
            tiers[id] = .unavailable(reason: "not configured")
            unconfigured.insert(id)
        }
        self.descriptors = descriptors
        self.tiers = tiers
        self.unconfigured = unconfigured
    }

    /// The tiers of the chain that are configured but could not be read (a load that failed, a
    /// backend that could not be set up), in lookup order, with the reason to show. A command
    /// whose answer would be incomplete without them says so and exits non-zero.
    public var unreadableTiers: [(tier: TierID, reason: String)] {
        chain.compactMap { id in
            switch tiers[id] {
            case .failed(let reason)?: return (id, reason)
            case .unavailable(let reason)? where !unconfigured.contains(id): return (id, reason)
            default: return nil
            }
        }
    }

    /// The resolver for this deployment's chain.
    public var resolver: Resolver { Resolver(chain: chain) }

    /// Every key, resolved through the tiers loaded so far.
    public func resolveAll() -> [Resolution] {
        resolver.resolveAll(tiers, labels: descriptors.mapValues(\.label), namers: namers)
    }

    /// One key, resolved through the tiers loaded so far.
    public func resolve(_ key: SecretKey) -> Resolution {
        resolver.resolve(key, tiers, labels: descriptors.mapValues(\.label), namers: namers)
    }

    /// Several keys, resolved at once (the tiers' names and records worked out once).
    public func resolve(_ keys: [SecretKey]) -> [SecretKey: Resolution] {
        let resolutions = resolver.resolve(keys, tiers, labels: descriptors.mapValues(\.label), namers: namers)
        return Dictionary(zip(keys, resolutions), uniquingKeysWith: { first, _ in first })
    }

    /// Whether any tier is still loading.
    public var isLoading: Bool {
        tiers.values.contains { if case .loading = $0 { return true } else { return false } }
    }
}
