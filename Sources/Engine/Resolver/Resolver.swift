/// Resolves every key of a deployment through its lookup chain, with provenance.
///
/// A pure function of the tiers' load states, so it can run again each time a tier arrives.
public struct Resolver: Sendable {
    public var chain: [TierID]

    public init(chain: [TierID]) {
        self.chain = chain
    }

    /// Every key any tier holds, resolved, sorted by kind then id.
    public func resolveAll(_ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:]) -> [Resolution] {
        let plan = Plan(chain: chain, tiers: tiers, extraKey: nil)
        return plan.keyIndices.map { resolve(plan.candidates[$0], index: $0, plan: plan, tiers: tiers, labels: labels) }
    }

    /// One key, resolved — also for keys no tier lists (`strata explain` of a missing id).
    public func resolve(_ key: SecretKey, _ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:]) -> Resolution {
        let plan = Plan(chain: chain, tiers: tiers, extraKey: key)
        let index = plan.candidateIndex[key]!
        return resolve(key, index: index, plan: plan, tiers: tiers, labels: labels)
    }

    private func resolve(_ key: SecretKey, index: Int, plan: Plan, tiers: [TierID: TierLoadState],
                         labels: [TierID: String]) -> Resolution {
        var rows: [TierResolution] = []
        rows.reserveCapacity(chain.count)
        var collisions: [String] = []
        for id in chain {
            let label = labels[id] ?? id.rawValue
            switch tiers[id] {
            case .loaded(let tier):
                let t = plan.loadedIndex[id]!
                let lookup = plan.lookups[t][index]
                var state = ResolvedState.absent
                var record: TierRecord?
                switch lookup {
                case .name(let name):
                    record = tier.record(kind: key.kind, name: name)
                    if let record {
                        state = ResolvedState(record.state)
                        if let sharing = plan.sharedNames[t][NameKey(kind: key.kind, name: name)] {
                            for other in sharing where other != index { collisions.append(plan.candidates[other].id) }
                        }
                    }
                case .skipped(let reason):
                    state = .skipped(reason: reason)
                }
                rows.append(TierResolution(tier: id, label: tier.descriptor.label, lookup: lookup,
                                           state: state, comparison: .none, record: record))
            case .loading:
                rows.append(TierResolution(tier: id, label: label, lookup: nil, state: .loading,
                                           comparison: .none, record: nil))
            case .failed(let reason):
                rows.append(TierResolution(tier: id, label: label, lookup: nil,
                                           state: .unavailable(reason: reason), comparison: .none, record: nil))
            case .unavailable(let reason):
                rows.append(TierResolution(tier: id, label: label, lookup: nil,
                                           state: .notConfigured(reason: reason), comparison: .none, record: nil))
            case nil:
                continue
            }
        }
        let winnerIndex = rows.firstIndex { Self.wins($0.state, kind: key.kind) }
        if let winnerIndex, let winningValue = Self.value(of: rows[winnerIndex].state, kind: key.kind) {
            rows[winnerIndex].comparison = .winner
            for index in rows.indices where index > winnerIndex {
                guard let value = Self.value(of: rows[index].state, kind: key.kind) else { continue }
                rows[index].comparison = value.isEquivalent(to: winningValue) ? .same : .differs
            }
        }
        if collisions.count > 1 { collisions = Array(Set(collisions)).sorted() }
        return Resolution(key: key, winner: winnerIndex.map { rows[$0].tier }, tiers: rows, collisions: collisions)
    }

    /// Airflow stops at the first tier that returns a value: any variable text, including "",
    /// and any connection that parses. An empty connection value is a miss.
    static func wins(_ state: ResolvedState, kind: SecretKind) -> Bool {
        switch state {
        case .present: return true
        case .empty: return kind == .variable
        default: return false
        }
    }

    static func value(of state: ResolvedState, kind: SecretKind) -> TierValue? {
        switch state {
        case .present(let value): return value
        case .empty: return kind == .variable ? .variable("") : nil
        default: return nil
        }
    }
}

/// A record's name within a kind.
struct NameKey: Hashable {
    var kind: SecretKind
    var name: String
}

/// The work shared by every key of one resolution: candidate ids, each tier's name for each
/// candidate (computed once), which ids to show, and which ids share a name in a tier.
private struct Plan {
    var candidates: [SecretKey] = []
    var candidateIndex: [SecretKey: Int] = [:]
    var loadedIndex: [TierID: Int] = [:]
    /// `lookups[tier][candidate]`
    var lookups: [[LookupName]] = []
    /// Indices of the keys to show, sorted by key.
    var keyIndices: [Int] = []
    /// Per tier: the names two or more shown ids read, with those ids.
    var sharedNames: [[NameKey: [Int]]] = []

    init(chain: [TierID], tiers: [TierID: TierLoadState], extraKey: SecretKey?) {
        let loaded = chain.compactMap { id -> LoadedTier? in
            if case .loaded(let tier) = tiers[id] { return tier }
            return nil
        }
        for (t, tier) in loaded.enumerated() { loadedIndex[tier.descriptor.tier] = t }

        // Every id some tier suggests, with the (tier, name) of each suggesting record.
        var suggestions: [[(tier: Int, name: String)]] = []
        for (t, tier) in loaded.enumerated() {
            for record in tier.snapshot.records {
                let key = SecretKey(record.kind, record.suggestedID)
                if let index = candidateIndex[key] {
                    suggestions[index].append((t, record.name))
                } else {
                    candidateIndex[key] = candidates.count
                    candidates.append(key)
                    suggestions.append([(t, record.name)])
                }
            }
        }
        if let extraKey, candidateIndex[extraKey] == nil {
            candidateIndex[extraKey] = candidates.count
            candidates.append(extraKey)
            suggestions.append([])
        }
        lookups = loaded.map { tier in candidates.map { tier.lookupName(for: $0) } }

        // An id suggested by only one tier is not shown when an id from another tier reaches
        // the same record: `AIRFLOW_VAR_MY_VAR` suggests `my_var`, but belongs to `MY_VAR`
        // when the metastore holds `MY_VAR`.
        var reachedByOthers = Array(repeating: Set<NameKey>(), count: loaded.count)
        for (index, sources) in suggestions.enumerated() {
            let suggestingTiers = Set(sources.map(\.tier))
            for t in loaded.indices where !(suggestingTiers.count == 1 && suggestingTiers.contains(t)) {
                if !sources.isEmpty, case .name(let name) = lookups[t][index] {
                    reachedByOthers[t].insert(NameKey(kind: candidates[index].kind, name: name))
                }
            }
        }
        for (index, sources) in suggestions.enumerated() {
            let key = candidates[index]
            let single = sources.first.map { first in sources.allSatisfy { $0.tier == first.tier } } ?? false
            let absorbed = single && sources.allSatisfy {
                reachedByOthers[$0.tier].contains(NameKey(kind: key.kind, name: $0.name))
            }
            if !absorbed || key == extraKey { keyIndices.append(index) }
        }
        keyIndices.sort { candidates[$0] < candidates[$1] }

        sharedNames = loaded.indices.map { t in
            var byName: [NameKey: [Int]] = [:]
            for index in keyIndices {
                if case .name(let name) = lookups[t][index] {
                    byName[NameKey(kind: candidates[index].kind, name: name), default: []].append(index)
                }
            }
            return byName.filter { $0.value.count > 1 }
        }
    }
}
