import Engine

/// The entries' filter data packed into flat arrays, so that a filter keystroke over 100,000
/// entries scans contiguous bytes instead of touching every entry (and its reference counts).
public struct SearchIndex: Sendable, Equatable {
    /// Every id's lower-cased UTF-8, back to back.
    private var bytes: [UInt8] = []
    /// Where each entry's id starts in `bytes`; one extra element marks the end.
    private var offsets: [Int32] = [0]
    /// Per entry: kind, winner and marker bits (see `Bits`).
    private var bits: [UInt16] = []

    private enum Bits {
        static let connection: UInt16 = 1 << 0
        static let shadowed: UInt16 = 1 << 1
        static let differs: UInt16 = 1 << 2
        static let collides: UInt16 = 1 << 3
        static let unreadable: UInt16 = 1 << 4
        static func winner(_ tier: TierID?) -> UInt16 {
            switch tier {
            case .workersBackend?: return 1 << 5
            case .backend?: return 1 << 6
            case .env?: return 1 << 7
            case .metastore?: return 1 << 8
            case nil: return 0
            }
        }
    }

    public init() {}

    public init(_ entries: [Entry]) {
        bits.reserveCapacity(entries.count)
        offsets.reserveCapacity(entries.count + 1)
        for entry in entries {
            bytes.append(contentsOf: entry.searchBytes)
            offsets.append(Int32(bytes.count))
            var b = Bits.winner(entry.resolution.winner)
            if entry.resolution.key.kind == .connection { b |= Bits.connection }
            if entry.shadowedCount > 0 { b |= Bits.shadowed }
            if entry.differs { b |= Bits.differs }
            if entry.collides { b |= Bits.collides }
            if entry.unreadable { b |= Bits.unreadable }
            bits.append(b)
        }
    }

    public var count: Int { bits.count }

    /// The indices of the entries that pass `query`, ascending.
    public func matches(_ query: FilterQuery) -> [Int] {
        var required: UInt16 = 0
        if query.shadowed { required |= Bits.shadowed }
        if query.differs { required |= Bits.differs }
        if query.collides { required |= Bits.collides }
        if query.unreadable { required |= Bits.unreadable }
        var winners: UInt16 = 0
        for tier in query.winners { winners |= Bits.winner(tier) }
        let kind = query.kind
        var result: [Int] = []
        result.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { hay in
            offsets.withUnsafeBufferPointer { offsets in
                bits.withUnsafeBufferPointer { bits in
                    for index in 0..<bits.count {
                        let b = bits[index]
                        if b & required != required { continue }
                        if winners != 0 && b & winners == 0 { continue }
                        if let kind, (b & Bits.connection != 0) != (kind == .connection) { continue }
                        let start = Int(offsets[index]), end = Int(offsets[index + 1])
                        var all = true
                        for word in query.words where !Self.contains(hay, start, end, word) { all = false; break }
                        if all { result.append(index) }
                    }
                }
            }
        }
        return result
    }

    private static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ needle: [UInt8]) -> Bool {
        needle.withUnsafeBufferPointer { containsBytes($0, in: hay, within: start..<end) }
    }
}
