/// How one key resolves in each Airflow process (API server, worker task, triggerer), for
/// `explain`: the same deployment can answer differently because each process asks its tiers
/// in its own order and parses connections with its own parser.
public struct ContextComparison: Sendable {
    /// One process's answer.
    public struct Answer: Sendable {
        public var context: LookupContext
        /// The tier that supplies the value, or nil when the process finds none.
        public var winner: TierID?
        /// The winning tier's label (its backend's name).
        public var label: String?
        /// Whether the value differs from the first answer's (the API server's): a different
        /// tier, another parser, or nothing at all where the first found something.
        public var differsFromFirst: Bool
        /// Set for the triggerer's synchronous lookups when the greenback portal is off: the
        /// only tiers such a lookup reaches.
        public var reachable: [TierID]?
    }

    public var key: SecretKey
    /// One answer per process, in `LookupContext.allCases` order, then the triggerer's
    /// synchronous lookups when the deployment turns the greenback portal off.
    public var answers: [Answer]

    /// Compares `key` across `states`, one per process (any order; Airflow 2 needs only one).
    public init(key: SecretKey, states: [DeploymentState]) {
        self.key = key
        let ordered = LookupContext.allCases.compactMap { context in states.first { $0.context == context } }
        var answers: [Answer] = []
        var first: (value: TierValue?, alteration: SourceAlteration)?
        for state in ordered {
            let resolution = state.resolve(key)
            let value = resolution.value
            let alteration = resolution.winning?.record?.sourceAlteration ?? .none
            let differs = first.map { !Self.agree(value, $0.value, alteration.union($0.alteration)) } ?? false
            answers.append(Answer(context: state.context, winner: resolution.winner, label: resolution.winning?.label,
                                  differsFromFirst: differs, reachable: nil))
            if first == nil { first = (value, alteration) }
            if state.context == .triggerer,
               let reachable = TriggererSyncLookups.reachableTiers(version: state.deployment.airflowVersion,
                                                                   environment: state.deployment.environment,
                                                                   hasWorkersBackend: state.chain.contains(.workersBackend)) {
                let hit = resolution.tiers.first { reachable.contains($0.tier) && Resolver.wins($0.state, kind: key.kind) }
                let hitValue = hit.flatMap { Resolver.value(of: $0.state, kind: key.kind) }
                let hitAlteration = hit?.record?.sourceAlteration ?? .none
                let differs = first.map { !Self.agree(hitValue, $0.value, hitAlteration.union($0.alteration)) } ?? false
                answers.append(Answer(context: .triggerer, winner: hit?.tier, label: hit?.label,
                                      differsFromFirst: differs, reachable: reachable))
            }
        }
        self.answers = answers
    }

    /// Whether the processes disagree about the tier that supplies the key or its value.
    public var disagree: Bool {
        guard let first = answers.first else { return false }
        return answers.dropFirst().contains { $0.winner != first.winner || $0.differsFromFirst }
    }

    /// Two answers agree when both find nothing, or both find values Airflow would use alike; a
    /// value a source partly hides agrees unless a field both show differs (nothing to report).
    private static func agree(_ a: TierValue?, _ b: TierValue?, _ alteration: SourceAlteration) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (a?, b?): return a.agreement(with: b, alteration: alteration) != .differs
        default: return false
        }
    }
}
