import Foundation

extension EnvironmentTier {
    /// `exactSnapshot()` for environments whose `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` names are all
    /// ASCII (every dotenv name is): names are classified and sorted by their bytes, which for
    /// ASCII is exactly Swift's `hasPrefix` and `<`, and the usual upper-case names get their
    /// suggested id without Unicode case mapping. `nil` when a name is not ASCII, so that the
    /// exact path decides.
    func asciiSnapshot() -> TierSnapshot? {
        // With the ordered list (the usual case) the sort keys point into it; otherwise the
        // entries are gathered from the dictionary first. A large environment is then not
        // copied once more just to be sorted.
        let entries = environment.orderedEntries
        var candidates: [Candidate] = []
        var keys: [SortKey] = []
        func classified(_ name: String) -> Classification {
            var copy = name
            return copy.withUTF8 { Self.classify($0) }
        }
        if let entries {
            for position in entries.indices where entries[position].name.utf8.first == UInt8(ascii: "A") {
                switch classified(entries[position].name) {
                case .notOurs: continue
                case .notASCII: return nil
                case .ours(let kind, let key0, let key1):
                    keys.append(SortKey(key0: key0, key1: key1, index: Int32(position), group: kind == .connection ? 0 : 1))
                }
            }
        } else {
            for (name, value) in environment.variables where name.utf8.first == UInt8(ascii: "A") {
                switch classified(name) {
                case .notOurs: continue
                case .notASCII: return nil
                case .ours(let kind, let key0, let key1):
                    keys.append(SortKey(key0: key0, key1: key1, index: Int32(candidates.count), group: kind == .connection ? 0 : 1))
                    candidates.append(Candidate(name: name, value: value, origin: environment.origins[name]))
                }
            }
        }
        func candidate(_ key: SortKey) -> Candidate {
            guard let entries else { return candidates[Int(key.index)] }
            let entry = entries[Int(key.index)]
            return Candidate(name: entry.name, value: entry.value, origin: environment.origin(of: entry))
        }
        keys.sort { a, b in
            if a.group != b.group { return a.group < b.group }
            if a.key0 != b.key0 { return a.key0 < b.key0 }
            if a.key1 != b.key1 { return a.key1 < b.key1 }
            return candidate(a).name < candidate(b).name
        }
        var records: [TierRecord] = []
        records.reserveCapacity(keys.count)
        var warnings: [String] = []
        for key in keys {
            let candidate = candidate(key)
            let kind: SecretKind = key.group == 0 ? .connection : .variable
            let name = candidate.name
            let utf8 = name.utf8
            let suffix = name[utf8.index(utf8.startIndex, offsetBy: kind == .variable ? 12 : 13)...]
            if let suggestedID = Self.asciiSuggestedID(suffix) {
                let (state, exactReason) = revealingState(kind: kind, value: candidate.value)
                var record: TierRecord
                if case .file(let path, let line)? = candidate.origin {
                    // What the pairs file, line, source would give, without building them.
                    record = TierRecord(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                        rawText: candidate.value, file: path, line: line, fromEnvFile: true)
                } else {
                    record = TierRecord(kind: kind, name: name, suggestedID: suggestedID, state: state,
                                        rawText: candidate.value, metadataPairs: Self.metadata(for: candidate.origin))
                }
                record.exactReason = exactReason
                records.append(record)
            } else {
                records.append(record(kind: kind, name: name, suffix: suffix, value: candidate.value,
                                      origin: candidate.origin, warnings: &warnings))
            }
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    private struct Candidate {
        var name: String
        var value: String
        var origin: EnvironmentOrigin?
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
