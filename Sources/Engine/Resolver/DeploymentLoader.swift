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

    /// Loads every tier and returns once all have answered, keeping the exact text of any
    /// redacted failure for `--reveal`.
    public func loadAll(_ deployment: Deployment, context: LookupContext) async -> DeploymentState {
        let slots = factory.makeTiers(for: deployment, context: context)
        var state = DeploymentState(deployment: deployment, context: context, slots: slots)
        let sources = slots.compactMap { slot in slot.source.map { (slot.tier, $0) } }
            .filter { state.chain.contains($0.0) }
        await withTaskGroup(of: (TierID, TierLoadState, String?).self) { group in
            for (tier, source) in sources {
                group.addTask {
                    let (result, exact) = await Self.loadRevealing(source, timeouts: deployment.timeouts)
                    return (tier, result, exact)
                }
            }
            for await (tier, result, exact) in group {
                state.tiers[tier] = result
                if let exact { state.exactFailureReasons[tier] = exact }
            }
        }
        return state
    }

    /// Loads one tier within the deployment's tier deadline: past it the tier fails with a
    /// reason naming the deadline and the last problem met, whatever the source was doing.
    static func load(_ source: any TierSource, timeouts: RemoteTimeouts = .standard) async -> TierLoadState {
        await loadRevealing(source, timeouts: timeouts).state
    }

    /// The tier's load state, and the exact failure text when the shown one was redacted.
    static func loadRevealing(_ source: any TierSource,
                              timeouts: RemoteTimeouts = .standard) async -> (state: TierLoadState, exact: String?) {
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
            return (.loaded(LoadedTier(source: source, snapshot: snapshot, latency: clock.now - started)), nil)
        } catch let error as TierError {
            return (.failed(reason: error.message), error.exactMessage)
        } catch {
            // Foreign errors may quote their input; only the type is safe to show.
            return (.failed(reason: "\(source.descriptor.label) could not be read (\(type(of: error)))"), nil)
        }
    }
}
