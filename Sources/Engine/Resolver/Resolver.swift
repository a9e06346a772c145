import Foundation

/// Resolves every key of a deployment through its lookup chain, with provenance.
///
/// A pure function of the tiers' load states, so it can run again each time a tier arrives.
public struct Resolver: Sendable {
    public var chain: [TierID]

    public init(chain: [TierID]) {
        self.chain = chain
    }

    /// Every key any tier holds, resolved, sorted by kind then id.
    /// `namers` name the key in the tiers that have no snapshot (loading, failed, not set up).
    public func resolveAll(_ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:],
                           namers: [TierID: TierNamer] = [:]) -> [Resolution] {
        let plan = Plan(chain: chain, tiers: tiers, extraKeys: [])
        let columns = self.columns(tiers, labels: labels, namers: namers, plan: plan)
        let keys = plan.keyIndices
        // Keys resolve independently: large deployments are split across the cores.
        let chunks = keys.count >= 20_000 ? min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1
        if chunks == 1 { return keys.map { resolve(plan.candidates[$0], index: $0, plan: plan, columns: columns) } }
        return Array(unsafeUninitializedCapacity: keys.count) { buffer, initialized in
            let output = DisjointWrites(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                resolveChunk((keys.count * chunk / chunks)..<(keys.count * (chunk + 1) / chunks),
                             plan: plan, columns: columns, into: output.base)
            }
            initialized = keys.count
        }
    }

    /// Resolves `plan.keyIndices[range]` into `base[range]`, a key at a time. Every shared
    /// array is borrowed once for the whole chunk, so the threads do not keep retaining and
    /// releasing the same buffers, and each key's row array is allocated once at its final size.
    private func resolveChunk(_ range: Range<Int>, plan: Plan, columns: [Column], into base: UnsafeMutablePointer<Resolution>) {
        var loadedRecords: [[TierRecord]] = [], loadedLookups: [[LookupName?]] = [], loadedFound: [[Int32]] = []
        var shared: [[Int: [Int]]] = []
        /// Per column: its tier, label, position among the loaded columns (or -1) and fixed state.
        var columnTiers: [TierID] = [], columnLabels: [String] = [], loadedPosition: [Int] = []
        var fixedStates: [ResolvedState] = []
        var fixedNamers: [TierNamer?] = []
        for column in columns {
            switch column {
            case let .loaded(id, t, label, records):
                columnTiers.append(id)
                columnLabels.append(label)
                loadedPosition.append(loadedRecords.count)
                fixedStates.append(.absent)
                fixedNamers.append(nil)
                loadedRecords.append(records)
                loadedLookups.append(plan.lookups[t])
                loadedFound.append(plan.recordIndices[t])
                shared.append(plan.sharedRecords[t])
            case let .fixed(id, label, state, namer):
                columnTiers.append(id)
                columnLabels.append(label)
                loadedPosition.append(-1)
                fixedStates.append(state)
                fixedNamers.append(namer)
            }
        }
        let anyShared = shared.contains { !$0.isEmpty }
        let columnCount = columns.count
        plan.keyIndices.withUnsafeBufferPointer { keys in
        plan.candidates.withUnsafeBufferPointer { candidates in
        columnLabels.withUnsafeBufferPointer { labels in
        fixedStates.withUnsafeBufferPointer { fixed in
        withEachBuffer(loadedRecords) { records in
        withEachBuffer(loadedLookups) { lookups in
        withEachBuffer(loadedFound) { found in
            for position in range {
                let index = keys[position]
                var collisions: [String] = []
                var rows = [TierResolution](unsafeUninitializedCapacity: columnCount) { row, count in
                    for c in 0..<columnCount {
                        let slot = row.baseAddress! + c
                        let l = loadedPosition[c]
                        guard l >= 0 else {
                            slot.initialize(to: TierResolution(tier: columnTiers[c], label: labels[c],
                                                               lookup: fixedNamers[c]?(candidates[index]),
                                                               state: fixed[c], comparison: .none, record: nil))
                            continue
                        }
                        let recordIndex = Int(found[l][index])
                        if recordIndex >= 0 {
                            slot.initialize(to: TierResolution(tier: columnTiers[c], label: labels[c], found: records[l][recordIndex]))
                            if anyShared, let sharing = shared[l][recordIndex] {
                                for other in sharing where other != index { collisions.append(candidates[other].id) }
                            }
                        } else {
                            let lookup = lookups[l][index]!
                            var state = ResolvedState.absent
                            if case .skipped(let reason) = lookup { state = .skipped(reason: reason) }
                            slot.initialize(to: TierResolution(tier: columnTiers[c], label: labels[c], lookup: lookup,
                                                               state: state, comparison: .none, record: nil))
                        }
                    }
                    count = columnCount
                }
                (base + position).initialize(to: Self.finish(candidates[index], rows: &rows, collisions: &collisions))
            }
        }
        }
        }
        }
        }
        }
        }
    }

    /// One key, resolved — also for keys no tier lists (`strata explain` of a missing id).
    public func resolve(_ key: SecretKey, _ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:],
                        namers: [TierID: TierNamer] = [:]) -> Resolution {
        resolve([key], tiers, labels: labels, namers: namers)[0]
    }

    /// Several keys, resolved as `resolve(_:_:…)` resolves one but working out the tiers'
    /// names and records once for all of them: a bulk copy checks thousands of keys.
    public func resolve(_ keys: [SecretKey], _ tiers: [TierID: TierLoadState], labels: [TierID: String] = [:],
                        namers: [TierID: TierNamer] = [:]) -> [Resolution] {
        let plan = Plan(chain: chain, tiers: tiers, extraKeys: keys)
        let columns = columns(tiers, labels: labels, namers: namers, plan: plan)
        return keys.map { key in
            resolve(key, index: plan.candidateIndex.position(of: key.id, kind: key.kind)!, plan: plan, columns: columns)
        }
    }

    /// What each tier of the chain contributes to every key, worked out once per resolution
    /// rather than once per key.
    private enum Column {
        case loaded(tier: TierID, position: Int, label: String, records: [TierRecord])
        /// A tier with no snapshot: its state, and how it would name the key when that is known.
        case fixed(tier: TierID, label: String, state: ResolvedState, namer: TierNamer?)
    }

    private func columns(_ tiers: [TierID: TierLoadState], labels: [TierID: String], namers: [TierID: TierNamer],
                         plan: Plan) -> [Column] {
        chain.compactMap { id -> Column? in
            let label = labels[id] ?? id.rawValue
            switch tiers[id] {
            case .loaded(let tier):
                return .loaded(tier: id, position: plan.loadedIndex[id]!, label: tier.descriptor.label,
                               records: tier.snapshot.records)
            case .loading:
                return .fixed(tier: id, label: label, state: .loading, namer: namers[id])
            case .failed(let reason):
                return .fixed(tier: id, label: label, state: .unavailable(reason: reason), namer: namers[id])
            case .unavailable(let reason):
                return .fixed(tier: id, label: label, state: .notConfigured(reason: reason), namer: namers[id])
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
                if case let recordIndex = Int(plan.recordIndices[t][index]), recordIndex >= 0 {
                    rows.append(TierResolution(tier: id, label: label, found: records[recordIndex]))
                    if let sharing = plan.sharedRecords[t][recordIndex] {
                        for other in sharing where other != index { collisions.append(plan.candidates[other].id) }
                    }
                } else {
                    let lookup = plan.lookups[t][index]!
                    var state = ResolvedState.absent
                    if case .skipped(let reason) = lookup { state = .skipped(reason: reason) }
                    rows.append(TierResolution(tier: id, label: label, lookup: lookup,
                                               state: state, comparison: .none, record: nil))
                }
            case let .fixed(id, label, state, namer):
                rows.append(TierResolution(tier: id, label: label, lookup: namer?(key), state: state,
                                           comparison: .none, record: nil))
            }
        }
        return Self.finish(key, rows: &rows, collisions: &collisions)
    }

    /// The winner, how every other tier compares with it, and the colliding ids in order.
    private static func finish(_ key: SecretKey, rows: inout [TierResolution], collisions: inout [String]) -> Resolution {
        let winnerIndex = rows.firstIndex { $0.wins(kind: key.kind) }
        if let winnerIndex {
            rows[winnerIndex].comparison = .winner
            // The winning value is read only when a tier below also holds one: most keys live
            // in one tier, and reading a value out touches memory nothing else needs.
            var winningValue: TierValue?
            for index in rows.indices where index > winnerIndex && rows[index].wins(kind: key.kind) {
                guard let value = value(of: rows[index].state, kind: key.kind) else { continue }
                if winningValue == nil { winningValue = self.value(of: rows[winnerIndex].state, kind: key.kind) }
                guard let winningValue else { break }
                let alteration = (rows[index].record?.sourceAlteration ?? .none)
                    .union(rows[winnerIndex].record?.sourceAlteration ?? .none)
                switch value.agreement(with: winningValue, alteration: alteration) {
                case .same: rows[index].comparison = .same
                case .differs: rows[index].comparison = .differs
                case .cannotTell: rows[index].comparison = .cannotTell
                }
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
    var candidateIndex = NameIndex()
    var loadedIndex: [TierID: Int] = [:]
    /// `lookups[tier][candidate]`: the name looked up, or nil when it found a record (whose
    /// name it then is).
    var lookups: [[LookupName?]] = []
    /// `recordIndices[tier][candidate]`: the record the candidate's name finds in that tier, or -1.
    var recordIndices: [[Int32]] = []
    /// Indices of the keys to show, sorted by key.
    var keyIndices: [Int] = []
    /// Per tier: records that two or more shown ids read, with those ids.
    var sharedRecords: [[Int: [Int]]] = []

    init(chain: [TierID], tiers: [TierID: TierLoadState], extraKeys: [SecretKey]) {
        let loaded = chain.compactMap { id -> LoadedTier? in
            if case .loaded(let tier) = tiers[id] { return tier }
            return nil
        }
        for (t, tier) in loaded.enumerated() { loadedIndex[tier.descriptor.tier] = t }
        let recordCount = loaded.reduce(0) { $0 + $1.snapshot.records.count }
        candidateIndex = NameIndex(capacity: recordCount + 1)
        candidates.reserveCapacity(recordCount + 1)

        // Every id some tier suggests, with the (tier, record) of each suggesting record, as
        // linked lists in flat arrays: one allocation for all of them instead of one per id.
        var firstSuggestion: [Int32] = []
        firstSuggestion.reserveCapacity(recordCount + 1)
        var suggestionTier: [Int32] = [], suggestionRecord: [Int32] = [], nextSuggestion: [Int32] = []
        suggestionTier.reserveCapacity(recordCount)
        suggestionRecord.reserveCapacity(recordCount)
        nextSuggestion.reserveCapacity(recordCount)
        /// `ownRecord[tier][candidate]`: the first record of that tier suggesting the candidate, or -1.
        var ownRecord: [[Int32]] = []
        for (t, tier) in loaded.enumerated() {
            var own = [Int32](repeating: -1, count: candidates.count)
            own.reserveCapacity(recordCount + 1)
            let records = tier.snapshot.records
            for r in records.indices {
                let record = records[r]
                let (index, inserted) = candidateIndex.insert(record.suggestedID, kind: record.kind)
                let s = Int32(suggestionTier.count)
                suggestionTier.append(Int32(t))
                suggestionRecord.append(Int32(r))
                if !inserted {
                    // Appended at the end so the list stays in tier order.
                    var last = Int(firstSuggestion[index])
                    while nextSuggestion[last] >= 0 { last = Int(nextSuggestion[last]) }
                    nextSuggestion[last] = s
                    nextSuggestion.append(-1)
                    if own[index] < 0 { own[index] = Int32(r) }
                } else {
                    candidates.append(SecretKey(record.kind, record.suggestedID))
                    firstSuggestion.append(s)
                    nextSuggestion.append(-1)
                    own.append(Int32(r))
                }
            }
            ownRecord.append(own)
        }
        for extraKey in extraKeys where candidateIndex.insert(extraKey.id, kind: extraKey.kind).inserted {
            candidates.append(extraKey)
            firstSuggestion.append(-1)
        }
        let extras = Set(extraKeys)
        let candidateCount = candidates.count
        let candidates = self.candidates

        // Each tier's names and records for every candidate: the tiers side by side, and each
        // tier's candidates in two halves when there are many, so both cores stay busy even
        // when one tier's naming rule costs more than the others'.
        let parts = candidateCount >= 20_000 ? 2 : 1
        let lookupStores = loaded.map { _ in DisjointWrites(base: UnsafeMutablePointer<LookupName?>.allocate(capacity: candidateCount)) }
        let foundStores = loaded.map { _ in DisjointWrites(base: UnsafeMutablePointer<Int32>.allocate(capacity: candidateCount)) }
        let ownRecords = ownRecord
        DispatchQueue.concurrentPerform(iterations: loaded.count * parts) { job in
            let t = job / parts, part = job % parts
            let range = (candidateCount * part / parts)..<(candidateCount * (part + 1) / parts)
            Self.lookUp(loaded[t], candidates: candidates, own: ownRecords[t], range: range,
                        lookups: lookupStores[t].base, found: foundStores[t].base)
        }
        lookups = lookupStores.map { stores in
            let store = stores.base
            defer { store.deallocate() }
            return Array(unsafeUninitializedCapacity: candidateCount) { buffer, count in
                if candidateCount > 0 { buffer.baseAddress!.moveInitialize(from: store, count: candidateCount) }
                count = candidateCount
            }
        }
        recordIndices = foundStores.map { stores in
            let store = stores.base
            defer { store.deallocate() }
            return Array(UnsafeBufferPointer(start: store, count: candidateCount))
        }

        // An id suggested by only one tier is not shown when an id from another tier reaches
        // the same record: `AIRFLOW_VAR_MY_VAR` suggests `my_var`, but belongs to `MY_VAR`
        // when the metastore holds `MY_VAR`.
        var reachedByOthers = loaded.map { Array(repeating: false, count: $0.snapshot.records.count) }
        var singleTier = [Int32](repeating: -1, count: candidateCount)
        for index in 0..<candidateCount {
            let head = Int(firstSuggestion[index])
            guard head >= 0 else { continue }
            let first = suggestionTier[head]
            var single = true
            var s = head
            while s >= 0 {
                if suggestionTier[s] != first { single = false; break }
                s = Int(nextSuggestion[s])
            }
            if single { singleTier[index] = first }
            for t in loaded.indices where !(single && t == Int(first)) {
                let record = recordIndices[t][index]
                if record >= 0 { reachedByOthers[t][Int(record)] = true }
            }
        }
        keyIndices.reserveCapacity(candidateCount)
        for index in 0..<candidateCount {
            var absorbed = singleTier[index] >= 0
            var s = Int(firstSuggestion[index])
            while absorbed && s >= 0 {
                if !reachedByOthers[Int(suggestionTier[s])][Int(suggestionRecord[s])] { absorbed = false }
                s = Int(nextSuggestion[s])
            }
            if !absorbed || extras.contains(candidates[index]) { keyIndices.append(index) }
        }
        keyIndices.sort { candidates[$0] < candidates[$1] }

        sharedRecords = loaded.indices.map { t in
            var firstClaim = [Int32](repeating: -1, count: loaded[t].snapshot.records.count)
            var shared: [Int: [Int]] = [:]
            let found = recordIndices[t]
            for index in keyIndices {
                let record = Int(found[index])
                guard record >= 0 else { continue }
                if firstClaim[record] < 0 {
                    firstClaim[record] = Int32(index)
                } else {
                    shared[record, default: [Int(firstClaim[record])]].append(index)
                }
            }
            return shared
        }
    }

    /// One tier's lookup name and record for the candidates in `range`, initialising those
    /// positions of `lookups` and `found`. `own[c]` is the first record of the tier that
    /// suggested candidate `c` (or -1): when names are unique and it carries the looked-up
    /// name, it is the record found, with no hashing.
    private static func lookUp(_ tier: LoadedTier, candidates: [SecretKey], own: [Int32], range: Range<Int>,
                               lookups: UnsafeMutablePointer<LookupName?>, found: UnsafeMutablePointer<Int32>) {
        let records = tier.snapshot.records
        let uniqueNames = tier.hasUniqueNames
        for c in range {
            let lookup = tier.lookupName(for: candidates[c])
            guard let name = lookup.name else {
                (lookups + c).initialize(to: lookup)
                (found + c).initialize(to: -1)
                continue
            }
            var r: Int?
            if uniqueNames, c < own.count, own[c] >= 0, NameIndex.sameCodePoints(records[Int(own[c])].name, name) {
                r = Int(own[c])
            } else {
                r = tier.recordIndex(kind: candidates[c].kind, name: name)
            }
            // Multi-team: when the team's name misses, or holds what Airflow passes over,
            // the global name is asked next.
            if let team = r, tier.passesOver(teamRecord: records[team]) { r = nil }
            if r == nil, let global = tier.globalLookupName(for: candidates[c])?.name {
                r = tier.recordIndex(kind: candidates[c].kind, name: global)
            }
            if let r {
                (found + c).initialize(to: Int32(r))
                (lookups + c).initialize(to: nil)
            } else {
                (found + c).initialize(to: -1)
                (lookups + c).initialize(to: lookup)
            }
        }
    }
}

/// Calls `body` with a buffer pointer to each of `arrays`, all valid for the call.
private func withEachBuffer<Element, Result>(_ arrays: [[Element]],
                                             _ body: ([UnsafeBufferPointer<Element>]) -> Result) -> Result {
    var buffers: [UnsafeBufferPointer<Element>] = []
    buffers.reserveCapacity(arrays.count)
    func borrow(_ i: Int) -> Result {
        if i == arrays.count { return body(buffers) }
        return arrays[i].withUnsafeBufferPointer { buffer in
            buffers.append(buffer)
            return borrow(i + 1)
        }
    }
    return borrow(0)
}
