import Foundation

/// Positions of (kind, name) pairs in insertion order, found by a fast seeded hash.
///
/// The resolver hashes every name of every tier several times per resolution; Swift's
/// `Dictionary` spends most of that time seeding and running SipHash. This open-addressing
/// table hashes a name's UTF-8 bytes eight at a time with a multiply-mix instead, and keeps each
/// entry's full hash so a probe compares strings only when the hashes already agree. The seed is
/// random per process, so names chosen to collide cannot be prepared in advance.
struct NameIndex: Sendable {
    private(set) var names: [String] = []
    private(set) var kinds: [SecretKind] = []
    private var hashes: [UInt64] = []
    /// Per slot: the entry's position + 1 in the low 32 bits (0: empty slot) and the top 32 bits
    /// of its hash in the high ones, so a probe rejects most other names without reading the
    /// entry. Always a power of two long.
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        names.reserveCapacity(capacity)
        kinds.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    var count: Int { names.count }

    /// The position of `name` of `kind`, if it was inserted.
    func position(of name: String, kind: SecretKind) -> Int? {
        let hash = Self.hash(name, kind: kind)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let content = slots[slot]
            if content == 0 { return nil }
            if content & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(truncatingIfNeeded: content & 0xFFFF_FFFF) - 1
                if hashes[entry] == hash, kinds[entry] == kind, Self.sameCodePoints(names[entry], name) { return entry }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The position of `name` of `kind`: its existing one, or a new one at the end.
    mutating func insert(_ name: String, kind: SecretKind) -> (position: Int, inserted: Bool) {
        if (names.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(name, kind: kind)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let content = slots[slot]
            if content == 0 { break }
            if content & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(truncatingIfNeeded: content & 0xFFFF_FFFF) - 1
                if hashes[entry] == hash, kinds[entry] == kind, Self.sameCodePoints(names[entry], name) {
                    return (entry, false)
                }
            }
            slot = (slot + 1) & mask
        }
        names.append(name)
        kinds.append(kind)
        hashes.append(hash)
        slots[slot] = tag | UInt64(names.count)
        return (names.count - 1, true)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var grown = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for (position, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while grown[slot] != 0 { slot = (slot + 1) & newMask }
            grown[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        }
        slots = grown
        mask = newMask
    }

    /// Python's string equality: the same code points. Swift's `==` would also equate
    /// canonically equivalent spellings (`é` and `e` + U+0301), which Airflow keeps apart.
    static func sameCodePoints(_ a: String, _ b: String) -> Bool {
        let result = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in
                left.count == right.count && (left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
            }
        }
        if let result = result ?? nil { return result }
        return a.utf8.elementsEqual(b.utf8)
    }

    private static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

    /// A 64-bit hash of the name's UTF-8 bytes and its kind.
    static func hash(_ name: String, kind: SecretKind) -> UInt64 {
        let start = seed ^ (kind == .variable ? 0x9E37_79B9_7F4A_7C15 : 0xC2B2_AE3D_27D4_EB4F)
        if let hash = name.utf8.withContiguousStorageIfAvailable({ hashBytes(UnsafeRawBufferPointer($0), start) }) {
            return hash
        }
        return Array(name.utf8).withUnsafeBytes { hashBytes($0, start) }
    }

    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The same seeded hash for bytes that are not a `String` (a key inside a file's buffer).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        hashBytes(bytes, seed)
    }

    private static func hashBytes(_ bytes: UnsafeRawBufferPointer, _ start: UInt64) -> UInt64 {
        var state = start ^ UInt64(bytes.count)
        var offset = 0
        let count = bytes.count
        while offset + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            state = mix(state ^ word, 0x9FB2_1C65_1E98_DF25)
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            state = mix(state ^ tail, 0xD6E8_FEB8_6659_FD93)
        }
        return mix(state, 0x8EBC_6AF0_9C88_C6E3)
    }
}
