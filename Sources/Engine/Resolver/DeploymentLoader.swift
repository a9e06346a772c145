/// Loads a deployment's tiers concurrently. A slow or failing tier never holds up the others.
public struct DeploymentLoader: Sendable {
    public var factory: any TierFactory

    public init(factory: any TierFactory) {
        self.factory = factory
    }

    /// The initial state (every tier loading) and a stream of each tier's result as it arrives.
    public func start(_ deployment: Deployment, context: LookupContext)
        -> (initial: DeploymentState, updates: AsyncStream<(TierID, TierLoadState)>) {
        let slots = factory.makeTiers(for: deployment, context: context)
        let initial = DeploymentState(deployment: deployment, context: context, slots: slots)
        let sources = slots.compactMap { slot in slot.source.map { (slot.tier, $0) } }
            .filter { initial.chain.contains($0.0) }
        let updates = AsyncStream<(TierID, TierLoadState)> { continuation in
            let task = Task {
                await withTaskGroup(of: (TierID, TierLoadState).self) { group in
                    for (tier, source) in sources {
                        group.addTask { (tier, await Self.load(source)) }
                    }
                    for await update in group { continuation.yield(update) }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return (initial, updates)
    }

    /// Loads every tier and returns once all have answered.
    public func loadAll(_ deployment: Deployment, context: LookupContext) async -> DeploymentState {
        var (state, updates) = start(deployment, context: context)
        for await (tier, result) in updates { state.tiers[tier] = result }
        return state
    }

    static func load(_ source: any TierSource) async -> TierLoadState {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let snapshot = try await source.load()
            return .loaded(LoadedTier(source: source, snapshot: snapshot, latency: clock.now - started))
        } catch let error as TierError {
            return .failed(reason: error.message)
        } catch {
            // Foreign errors may quote their input; only the type is safe to show.
            return .failed(reason: "\(source.descriptor.label) could not be read (\(type(of: error)))")
        }
    }
}
