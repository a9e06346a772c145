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
                        group.addTask { (tier, await Self.load(source, timeouts: deployment.timeouts)) }
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

    /// Loads one tier within the deployment's tier deadline: past it the tier fails with a
    /// reason naming the deadline and the last problem met, whatever the source was doing.
    static func load(_ source: any TierSource, timeouts: RemoteTimeouts = .standard) async -> TierLoadState {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = RemoteDeadline(timeouts: timeouts, tierEnds: started + timeouts.tier)
        let label = source.descriptor.label
        do {
            let snapshot = try await RemoteDeadline.$current.withValue(deadline) {
                try await deadline.race(expired: {
                    TierError("\(label) gave no complete answer within \(timeouts.tier.secondsText) s (the tier deadline)"
                              + (deadline.faults.last.map { "; last problem: \($0)" } ?? "")
                              + ". It is marked failed; the other tiers still show. To wait longer, raise `timeouts: {tier: …}` "
                              + "for this deployment in strata.yaml.")
                }) { try await source.load() }
            }
            return .loaded(LoadedTier(source: source, snapshot: snapshot, latency: clock.now - started))
        } catch let error as TierError {
            return .failed(reason: error.message)
        } catch {
            // Foreign errors may quote their input; only the type is safe to show.
            return .failed(reason: "\(source.descriptor.label) could not be read (\(type(of: error)))")
        }
    }
}
