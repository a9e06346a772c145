import Foundation

/// Positions of byte ranges of one buffer, compared by content, in insertion order: the fast
/// paths find duplicate keys of a file with it without building a `String` per key. Hashed
/// with `NameIndex`'s per-process seeded hash, so keys cannot be chosen to collide.
struct ByteRangeIndex {
    /// Slots holding a position in `ranges` plus one; 0 is empty. Always a power of two long.
    private var slots: [Int32]
    private var ranges: [Range<Int>] = []

    init(capacity: Int = 512) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        ranges.reserveCapacity(capacity)
    }

    /// The position of the range already holding the same bytes as `range`, or a new one at
    /// the end.
    mutating func insert(_ range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>) -> (position: Int, inserted: Bool) {
        if (ranges.count + 1) * 2 > slots.count { grow(bytes) }
        let base = bytes.baseAddress!
        let mask = slots.count - 1
        var slot = Self.hash(range, bytes) & mask
        while slots[slot] != 0 {
            let existing = Int(slots[slot]) - 1
            let other = ranges[existing]
            if other.count == range.count, memcmp(base + other.lowerBound, base + range.lowerBound, range.count) == 0 {
                return (existing, false)
            }
            slot = (slot + 1) & mask
        }
        ranges.append(range)
        slots[slot] = Int32(ranges.count)
        return (ranges.count - 1, true)
    }

    private mutating func grow(_ bytes: UnsafeBufferPointer<UInt8>) {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (position, range) in ranges.enumerated() {
            var slot = Self.hash(range, bytes) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }

    private static func hash(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: NameIndex.hash(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range]))))
    }
}
