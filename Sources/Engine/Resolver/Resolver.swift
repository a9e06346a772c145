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
        let columns = self.columns(tiers, labels: labels, plan: plan)
        return plan.keyIndices.map { resolve(plan.candidates[$0], index: $0, plan: plan, columns: columns) }
    }

    /// One key, resolved — also for keys no tier lists (`strata explain` of a missing id).
    public func resolve(_ key: SecretKey, _ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:]) -> Resolution {
        let plan = Plan(chain: chain, tiers: tiers, extraKey: key)
        let index = plan.candidateIndex[key]!
        return resolve(key, index: index, plan: plan, columns: columns(tiers, labels: labels, plan: plan))
    }

    /// What each tier of the chain contributes to every key, worked out once per resolution
    /// rather than once per key.
    private enum Column {
        case loaded(tier: TierID, position: Int, label: String, records: [TierRecord])
        case fixed(tier: TierID, label: String, state: ResolvedState)
    }

    private func columns(_ tiers: [TierID: TierLoadState], labels: [TierID: String], plan: Plan) -> [Column] {
        chain.compactMap { id -> Column? in
            let label = labels[id] ?? id.rawValue
            switch tiers[id] {
            case .loaded(let tier):
                return .loaded(tier: id, position: plan.loadedIndex[id]!, label: tier.descriptor.label,
                               records: tier.snapshot.records)
            case .loading:
                return .fixed(tier: id, label: label, state: .loading)
            case .failed(let reason):
                return .fixed(tier: id, label: label, state: .unavailable(reason: reason))
            case .unavailable(let reason):
                return .fixed(tier: id, label: label, state: .notConfigured(reason: reason))
            case nil:
                return nil
            }
        }
    }

    private func resolve(_ key: SecretKey, index: Int, plan: Plan, columns: [Column]) -> Resolution {
        var rows: [TierResolution] = []
        rows.reserveCapacity(columns.count)
        var collisions: [String] = []
        for column in columns {
            switch column {
            case let .loaded(id, t, label, records):
                let lookup = plan.lookups[t][index]
                var state = ResolvedState.absent
                var record: TierRecord?
                if case .skipped(let reason) = lookup {
                    state = .skipped(reason: reason)
                } else if let recordIndex = plan.recordIndices[t][index] {
                    let found = records[recordIndex]
                    record = found
                    state = ResolvedState(found.state)
                    if let sharing = plan.sharedRecords[t][recordIndex] {
                        for other in sharing where other != index { collisions.append(plan.candidates[other].id) }
                    }
                }
                rows.append(TierResolution(tier: id, label: label, lookup: lookup,
                                           state: state, comparison: .none, record: record))
            case let .fixed(id, label, state):
                rows.append(TierResolution(tier: id, label: label, lookup: nil, state: state,
                                           comparison: .none, record: nil))
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

/// The work shared by every key of one resolution: candidate ids, each tier's name and
/// record for each candidate (computed once), which ids to show, and which ids share a
/// record. Records are tracked by position, so no name is hashed twice.
private struct Plan {
    var candidates: [SecretKey] = []
    var candidateIndex: [SecretKey: Int] = [:]
    var loadedIndex: [TierID: Int] = [:]
    /// `lookups[tier][candidate]`
    var lookups: [[LookupName]] = []
    /// `recordIndices[tier][candidate]`: the record the candidate's name finds in that tier.
    var recordIndices: [[Int?]] = []
    /// Indices of the keys to show, sorted by key.
    var keyIndices: [Int] = []
    /// Per tier: records that two or more shown ids read, with those ids.
    var sharedRecords: [[Int: [Int]]] = []

    init(chain: [TierID], tiers: [TierID: TierLoadState], extraKey: SecretKey?) {
        let loaded = chain.compactMap { id -> LoadedTier? in
            if case .loaded(let tier) = tiers[id] { return tier }
            return nil
        }
        for (t, tier) in loaded.enumerated() { loadedIndex[tier.descriptor.tier] = t }
        let recordCount = loaded.reduce(0) { $0 + $1.snapshot.records.count }
        candidateIndex.reserveCapacity(recordCount + 1)
        candidates.reserveCapacity(recordCount + 1)

        // Every id some tier suggests, with the (tier, record) of each suggesting record.
        var suggestions: [[(tier: Int, record: Int)]] = []
        suggestions.reserveCapacity(recordCount + 1)
        for (t, tier) in loaded.enumerated() {
            for (r, record) in tier.snapshot.records.enumerated() {
                let key = SecretKey(record.kind, record.suggestedID)
                if let index = candidateIndex[key] {
                    suggestions[index].append((t, r))
                } else {
                    candidateIndex[key] = candidates.count
                    candidates.append(key)
                    suggestions.append([(t, r)])
                }
            }
        }
        if let extraKey, candidateIndex[extraKey] == nil {
            candidateIndex[extraKey] = candidates.count
            candidates.append(extraKey)
            suggestions.append([])
        }
        lookups = loaded.map { tier in candidates.map { tier.lookupName(for: $0) } }
        recordIndices = Array(repeating: Array(repeating: nil, count: candidates.count), count: loaded.count)
        for t in loaded.indices {
            let records = loaded[t].snapshot.records
            for c in candidates.indices {
                guard let name = lookups[t][c].name,
                      let r = loaded[t].recordIndex(kind: candidates[c].kind, name: name) else { continue }
                recordIndices[t][c] = r
                // The record's own copy of the name, so the looked-up copy can be freed.
                lookups[t][c] = .name(records[r].name)
            }
        }

        // An id suggested by only one tier is not shown when an id from another tier reaches
        // the same record: `AIRFLOW_VAR_MY_VAR` suggests `my_var`, but belongs to `MY_VAR`
        // when the metastore holds `MY_VAR`.
        var reachedByOthers = loaded.map { Array(repeating: false, count: $0.snapshot.records.count) }
        var singleTier = Array(repeating: -1, count: candidates.count)
        for (index, sources) in suggestions.enumerated() {
            guard let first = sources.first?.tier else { continue }
            let single = sources.allSatisfy { $0.tier == first }
            if single { singleTier[index] = first }
            for t in loaded.indices where !(single && t == first) {
                if let record = recordIndices[t][index] { reachedByOthers[t][record] = true }
            }
        }
        keyIndices.reserveCapacity(candidates.count)
        for (index, sources) in suggestions.enumerated() {
            let absorbed = singleTier[index] >= 0 && sources.allSatisfy { reachedByOthers[$0.tier][$0.record] }
            if !absorbed || candidates[index] == extraKey { keyIndices.append(index) }
        }
        keyIndices.sort { candidates[$0] < candidates[$1] }

        var shown = Array(repeating: false, count: candidates.count)
        for index in keyIndices { shown[index] = true }
        sharedRecords = loaded.indices.map { t in
            var firstClaim = Array(repeating: -1, count: loaded[t].snapshot.records.count)
            var shared: [Int: [Int]] = [:]
            for index in keyIndices {
                guard let record = recordIndices[t][index] else { continue }
                if firstClaim[record] < 0 {
                    firstClaim[record] = index
                } else {
                    shared[record, default: [firstClaim[record]]].append(index)
                }
            }
            return shared
        }
    }
}
