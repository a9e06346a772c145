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
        let loaded = chain.compactMap { id -> LoadedTier? in
            if case .loaded(let tier) = tiers[id] { return tier }
            return nil
        }
        let keys = discoverKeys(in: loaded)
        let names = NameIndex(keys: keys, tiers: loaded)
        return keys.map { resolve($0, tiers, labels: labels, names: names) }
    }

    /// One key, resolved — also for keys no tier lists (`strata explain` of a missing id).
    public func resolve(_ key: SecretKey, _ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:]) -> Resolution {
        let loaded = chain.compactMap { id -> LoadedTier? in
            if case .loaded(let tier) = tiers[id] { return tier }
            return nil
        }
        var keys = discoverKeys(in: loaded)
        if !keys.contains(key) { keys.append(key) }
        return resolve(key, tiers, labels: labels, names: NameIndex(keys: keys, tiers: loaded))
    }

    private func resolve(_ key: SecretKey, _ tiers: [TierID: TierLoadState], labels: [TierID: String],
                         names: NameIndex) -> Resolution {
        var rows: [TierResolution] = []
        rows.reserveCapacity(chain.count)
        var collisions: Set<String> = []
        for id in chain {
            let label = labels[id] ?? id.rawValue
            switch tiers[id] {
            case .loaded(let tier):
                let lookup = tier.lookupName(for: key)
                var state = ResolvedState.absent
                var record: TierRecord?
                switch lookup {
                case .name(let name):
                    record = tier.record(kind: key.kind, name: name)
                    if let record { state = ResolvedState(record.state) }
                    for other in names.ids(tier: tier.descriptor.tier, kind: key.kind, name: name)
                    where other != key.id && record != nil {
                        collisions.insert(other)
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
        if let winnerIndex {
            rows[winnerIndex].comparison = .winner
            let winningValue = Self.value(of: rows[winnerIndex].state, kind: key.kind)
            for index in rows.indices where index > winnerIndex {
                guard let value = Self.value(of: rows[index].state, kind: key.kind), let winningValue else { continue }
                rows[index].comparison = value.isEquivalent(to: winningValue) ? .same : .differs
            }
        }
        return Resolution(key: key, winner: winnerIndex.map { rows[$0].tier }, tiers: rows,
                          collisions: collisions.sorted())
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

    /// The ids to show: every id a tier suggests, except an id only suggested by a record that
    /// another tier's id already reaches. `AIRFLOW_VAR_MY_VAR` suggests `my_var`, but when the
    /// metastore holds `MY_VAR`, the env record belongs to `MY_VAR` and `my_var` is not listed.
    func discoverKeys(in tiers: [LoadedTier]) -> [SecretKey] {
        var suggestedBy: [SecretKey: [(tier: TierID, name: String)]] = [:]
        for tier in tiers {
            for record in tier.snapshot.records {
                suggestedBy[SecretKey(record.kind, record.suggestedID), default: []]
                    .append((tier.descriptor.tier, record.name))
            }
        }
        // For each tier, which names the ids suggested by *other* tiers reach.
        var reachedByOthers: [TierID: Set<NameKey>] = [:]
        for tier in tiers {
            let id = tier.descriptor.tier
            var reached = Set<NameKey>()
            for (key, sources) in suggestedBy where sources.contains(where: { $0.tier != id }) {
                if case .name(let name) = tier.lookupName(for: key) {
                    reached.insert(NameKey(kind: key.kind, name: name))
                }
            }
            reachedByOthers[id] = reached
        }
        var keys: [SecretKey] = []
        keys.reserveCapacity(suggestedBy.count)
        for (key, sources) in suggestedBy {
            let tiersSuggesting = Set(sources.map(\.tier))
            let absorbed = tiersSuggesting.count == 1 && sources.allSatisfy {
                reachedByOthers[$0.tier]?.contains(NameKey(kind: key.kind, name: $0.name)) == true
            }
            if !absorbed { keys.append(key) }
        }
        return keys.sorted()
    }
}

/// A record's name within a kind.
struct NameKey: Hashable {
    var kind: SecretKind
    var name: String
}

/// Which ids reach each name in each tier, to detect ids that share a name.
struct NameIndex {
    private var index: [TierID: [NameKey: [String]]] = [:]

    init(keys: [SecretKey], tiers: [LoadedTier]) {
        for tier in tiers {
            var names: [NameKey: [String]] = [:]
            for key in keys {
                if case .name(let name) = tier.lookupName(for: key) {
                    names[NameKey(kind: key.kind, name: name), default: []].append(key.id)
                }
            }
            index[tier.descriptor.tier] = names.filter { $0.value.count > 1 }
        }
    }

    func ids(tier: TierID, kind: SecretKind, name: String) -> [String] {
        index[tier]?[NameKey(kind: kind, name: name)] ?? []
    }
}
