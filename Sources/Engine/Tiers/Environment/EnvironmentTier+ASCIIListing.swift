import Foundation

extension EnvironmentTier {
    /// `exactSnapshot()` for environments whose `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` names are all
    /// ASCII (every dotenv name is): names are classified and sorted by their bytes, which for
    /// ASCII is exactly Swift's `hasPrefix` and `<`, and the usual upper-case names get their
    /// suggested id without Unicode case mapping. `nil` when a name is not ASCII, so that the
    /// exact path decides.
    func asciiSnapshot() -> TierSnapshot? {
        let store = environment.store
        let entries = store.entries
        // Names are classified and compared in the store's bytes: no string per variable.
        let sorted: [SortKey]? = store.bytes.withUnsafeBufferPointer { all in
            var keys: [SortKey] = []
            for position in entries.indices {
                let name = UnsafeBufferPointer(rebasing: all[store.nameRange(entries[position])])
                guard name.first == UInt8(ascii: "A") else { continue }
                switch Self.classify(name) {
                case .notOurs: continue
                case .notASCII: return nil
                case .ours(let kind, let key0, let key1):
                    keys.append(SortKey(key0: key0, key1: key1, index: Int32(truncatingIfNeeded: position),
                                        group: kind == .connection ? 0 : 1))
                }
            }
            keys.sort { a, b in
                if a.group != b.group { return a.group < b.group }
                if a.key0 != b.key0 { return a.key0 < b.key0 }
                if a.key1 != b.key1 { return a.key1 < b.key1 }
                // ASCII names: byte order is Swift's string order.
                let left = UnsafeBufferPointer(rebasing: all[store.nameRange(entries[Int(a.index)])])
                let right = UnsafeBufferPointer(rebasing: all[store.nameRange(entries[Int(b.index)])])
                return left.lexicographicallyPrecedes(right)
            }
            return keys
        }
        guard let sorted else { return nil }
        // The usual entry (an upper-case, unscoped name) becomes a row of one table, built when
        // read; any other is built now by the general rule, which may also warn about it.
        var rowPositions: [Int32] = []
        rowPositions.reserveCapacity(sorted.count)
        var isRow: [Bool] = []
        isRow.reserveCapacity(sorted.count)
        store.bytes.withUnsafeBufferPointer { all in
            for key in sorted {
                let name = UnsafeBufferPointer(rebasing: all[store.nameRange(entries[Int(key.index)])])
                let suffix = UnsafeBufferPointer(rebasing: name[(key.group == 0 ? 13 : 12)...])
                let usual = Self.hasASCIISuggestedID(suffix)
                isRow.append(usual)
                if usual { rowPositions.append(key.index) }
            }
        }
        let rows = rowPositions
        let table = TierRecordTable(
            count: rows.count,
            materialize: { row in listedRecord(store.entries[Int(rows[row])], in: store) },
            name: { row in store.name(of: store.entries[Int(rows[row])]) },
            kind: { row in
                // "AIRFLOW_" then C (connection) or V (variable).
                store.bytes[store.entries[Int(rows[row])].start + 8] == UInt8(ascii: "C") ? .connection : .variable
            })
        var records: [TierRecord] = []
        records.reserveCapacity(sorted.count)
        var warnings: [String] = []
        var nextRow = 0
        for (key, usual) in zip(sorted, isRow) {
            if usual {
                records.append(TierRecord(table: table, row: nextRow))
                nextRow += 1
                continue
            }
            let entry = entries[Int(key.index)]
            let name = store.name(of: entry)
            let kind: SecretKind = key.group == 0 ? .connection : .variable
            let suffix = name.dropFirst(kind == .variable ? Self.variablePrefix.count : Self.connectionPrefix.count)
            records.append(record(kind: kind, name: name, suffix: suffix, value: store.value(of: entry),
                                  origin: store.origin(of: entry), warnings: &warnings))
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    /// The record of a listed entry whose suffix `hasASCIISuggestedID`: what `record` would
    /// give, without its Unicode case mapping.
    private func listedRecord(_ entry: EnvironmentStore.Entry, in store: EnvironmentStore) -> TierRecord {
        let name = store.name(of: entry)
        let value = store.value(of: entry)
        let kind: SecretKind = name.hasPrefix(Self.variablePrefix) ? .variable : .connection
        let suffix = name.dropFirst(kind == .variable ? Self.variablePrefix.count : Self.connectionPrefix.count)
        let suggestedID = Self.asciiSuggestedID(suffix) ?? String(suffix)
        let (state, exactReason) = revealingState(kind: kind, value: value)
        var record: TierRecord
        let origin = store.origin(of: entry)
        if case .file(let path, let line) = origin {
            // What the pairs file, line, source would give, without building them.
            record = TierRecord(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                rawText: value, file: path, line: line, fromEnvFile: true)
        } else {
            record = TierRecord(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                rawText: value, metadataPairs: Self.metadata(for: origin))
        }
        record.exactReason = exactReason
        return record
    }

    /// Whether `asciiSuggestedID` gives an id for this suffix (no lower-case letter, not
    /// team-scoped), read from its bytes.
    private static func hasASCIISuggestedID(_ suffix: UnsafeBufferPointer<UInt8>) -> Bool {
        if suffix.first == UInt8(ascii: "_") { return false }
        for byte in suffix where byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { return false }
        return true
    }

    /// Sorts connections before variables (`AIRFLOW_C…` < `AIRFLOW_V…`), then by the first 16
    /// bytes of the suffix, zero-padded (a shorter name is a prefix of the longer one when
    /// the padding decides), then by the whole name.
    ///
    /// The one-byte group is declared last, after the index, so that a key is 24 bytes, not 32:
    /// there is one per listed entry, alive while the records are built.
    private struct SortKey {
        var key0: UInt64
        var key1: UInt64
        var index: Int32
        var group: UInt8
    }

    private enum Classification {
        case notOurs
        case notASCII
        case ours(SecretKind, UInt64, UInt64)
    }

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> Classification {
        let variable: StaticString = "AIRFLOW_VAR_"
        let connection: StaticString = "AIRFLOW_CONN_"
        func starts(with prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard bytes.count >= count else { return false }
            return memcmp(bytes.baseAddress!, prefix.utf8Start, count) == 0
        }
        let kind: SecretKind
        let start: Int
        if starts(with: variable) {
            kind = .variable
            start = variable.utf8CodeUnitCount
        } else if starts(with: connection) {
            kind = .connection
            start = connection.utf8CodeUnitCount
        } else {
            // Neither path lists it: an ASCII prefix can only be matched by those very bytes.
            return .notOurs
        }
        for byte in bytes where byte >= 0x80 { return .notASCII }
        var key0: UInt64 = 0, key1: UInt64 = 0
        for offset in 0..<16 {
            let i = start + offset
            let byte = UInt64(i < bytes.count ? bytes[i] : 0)
            if offset < 8 { key0 = key0 << 8 | byte } else { key1 = key1 << 8 | byte }
        }
        return .ours(kind, key0, key1)
    }

    /// The suggested id of an ASCII suffix that holds no lower-case letter and is not
    /// team-scoped (what `record` would give, which is its lower-case form); `nil` otherwise.
    static func asciiSuggestedID(_ suffix: Substring) -> String? {
        var hasUpper = false
        for byte in suffix.utf8 {
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { return nil }
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { hasUpper = true }
        }
        if suffix.utf8.first == UInt8(ascii: "_") { return nil }
        guard hasUpper else { return String(suffix) }
        let count = suffix.utf8.count
        return String(unsafeUninitializedCapacity: count) { buffer in
            var i = 0
            for byte in suffix.utf8 {
                buffer[i] = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte + 0x20 : byte
                i += 1
            }
            return count
        }
    }
}
