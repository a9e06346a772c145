import Foundation

/// The variables of a `DeploymentEnvironment`: every name and value in one byte buffer, an
/// entry of offsets per variable in the order first set, and an open-addressing index from
/// name to entry.
///
/// A deployment's `.env` may hold a million lines. A dictionary of strings costs each of them
/// two heap strings and a bucket, several times the line; here a variable costs its bytes, a
/// 24-byte entry and two slots of the index. Only mutated while uniquely referenced
/// (`DeploymentEnvironment` copies it first otherwise), so sharing it between threads is safe;
/// the origins dictionary built on demand is guarded by a lock.
final class EnvironmentStore: @unchecked Sendable {
    /// One variable: `nameCount` bytes of name then `valueCount` bytes of value at `start`,
    /// and where it was set (see `origin(of:)`).
    struct Entry: Sendable {
        var start: Int
        var nameCount: UInt32
        var valueCount: UInt32
        /// The line in the env file `sources[source]` names, or `wholeOrigin` when that source
        /// is the origin as it is (not a file, or a line beyond 32 bits).
        var line: UInt32
        var source: UInt32
        static let wholeOrigin = UInt32.max
    }

    private(set) var bytes: [UInt8] = []
    private(set) var entries: [Entry] = []
    /// Entry positions plus one (0 is empty); a power of two long, at most half full.
    private var slots: [Int32] = []
    /// The distinct origins, an env file's with line 0: entries point into it.
    private(set) var sources: [EnvironmentOrigin] = []

    private let cacheLock = NSLock()
    private var originsCache: [String: EnvironmentOrigin]?

    init() {}

    private init(copying other: EnvironmentStore) {
        bytes = other.bytes
        entries = other.entries
        slots = other.slots
        sources = other.sources
    }

    func copy() -> EnvironmentStore { EnvironmentStore(copying: self) }

    var count: Int { entries.count }

    /// Makes room for `count` more variables of about `averageBytes` each.
    func reserveCapacity(_ count: Int, averageBytes: Int = 48) {
        entries.reserveCapacity(entries.count + count)
        bytes.reserveCapacity(bytes.count + count * averageBytes)
        grow(toHold: entries.count + count)
    }

    // MARK: Reading

    func name(of entry: Entry) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[nameRange(entry)]), as: UTF8.self) }
    }

    func value(of entry: Entry) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[valueRange(entry)]), as: UTF8.self) }
    }

    func nameRange(_ entry: Entry) -> Range<Int> { entry.start..<(entry.start + Int(entry.nameCount)) }

    func valueRange(_ entry: Entry) -> Range<Int> {
        let valueStart = entry.start + Int(entry.nameCount)
        return valueStart..<(valueStart + Int(entry.valueCount))
    }

    /// Where `entry` was set.
    func origin(of entry: Entry) -> EnvironmentOrigin {
        let source = sources[Int(entry.source)]
        if entry.line != Entry.wholeOrigin, case .file(let path, _) = source {
            return .file(path: path, line: Int(entry.line))
        }
        return source
    }

    /// The position of the entry named `name`.
    func position(of name: String) -> Int? {
        var name = name
        return name.withUTF8 { position(ofBytes: $0) }
    }

    func value(of name: String) -> String? {
        position(of: name).map { value(of: entries[$0]) }
    }

    /// Every name that starts with `prefix`, in the order first set.
    func names(withPrefix prefix: String) -> [String] {
        var prefix = prefix
        return prefix.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { all in
                var found: [String] = []
                for entry in entries where Int(entry.nameCount) >= wanted.count {
                    if wanted.isEmpty || memcmp(all.baseAddress! + entry.start, wanted.baseAddress!, wanted.count) == 0 {
                        found.append(String(decoding: UnsafeBufferPointer(rebasing: all[nameRange(entry)]), as: UTF8.self))
                    }
                }
                return found
            }
        }
    }

    /// Every variable as a dictionary (built on each call).
    func dictionary() -> [String: String] {
        var result = [String: String](minimumCapacity: entries.count)
        for entry in entries { result[name(of: entry)] = value(of: entry) }
        return result
    }

    /// Every variable's origin, built on first use and kept until the next change.
    func origins() -> [String: EnvironmentOrigin] {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let originsCache { return originsCache }
        var built = [String: EnvironmentOrigin](minimumCapacity: entries.count)
        for entry in entries { built[name(of: entry)] = origin(of: entry) }
        originsCache = built
        return built
    }

    // MARK: Changing (only while uniquely referenced)

    /// Sets a variable; a name set again keeps its place and takes the new value and origin.
    func set(_ name: String, _ value: String, origin: EnvironmentOrigin) {
        var name = name
        var value = value
        name.withUTF8 { nameBytes in
            value.withUTF8 { valueBytes in
                set(nameBytes: nameBytes, valueBytes: valueBytes, origin: origin)
            }
        }
    }

    func set(nameBytes: UnsafeBufferPointer<UInt8>, valueBytes: UnsafeBufferPointer<UInt8>, origin: EnvironmentOrigin) {
        originsCache = nil
        let (line, source) = compactOrigin(origin)
        // Names and values come from files and strings held in memory, far below 4 GiB each.
        let entry = Entry(start: bytes.count, nameCount: UInt32(clamping: nameBytes.count),
                          valueCount: UInt32(clamping: valueBytes.count), line: line, source: source)
        let existing = position(ofBytes: nameBytes)
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: nameBytes[0..<Int(entry.nameCount)]))
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: valueBytes[0..<Int(entry.valueCount)]))
        if let existing {
            // The old bytes stay behind, unused: a name set twice is rare.
            entries[existing] = entry
            return
        }
        grow(toHold: entries.count + 1)
        entries.append(entry)
        insertSlot(for: entries.count - 1, hash: hash(nameBytes))
    }

    private func compactOrigin(_ origin: EnvironmentOrigin) -> (line: UInt32, source: UInt32) {
        var key = origin
        var line = Entry.wholeOrigin
        if case .file(let path, let fileLine) = origin, fileLine >= 0, let compact = UInt32(exactly: fileLine),
           compact != Entry.wholeOrigin {
            key = .file(path: path, line: 0)
            line = compact
        }
        let index: Int
        if let last = sources.indices.last, sources[last] == key {
            index = last
        } else if let found = sources.firstIndex(of: key) {
            index = found
        } else {
            index = sources.count
            sources.append(key)
        }
        // There are never more sources than entries, far fewer than 2^32 in memory.
        return (line, UInt32(truncatingIfNeeded: index))
    }

    // MARK: The index

    private func position(ofBytes name: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = hash(name) & mask
        return bytes.withUnsafeBufferPointer { all in
            while slots[slot] != 0 {
                let position = Int(slots[slot]) - 1
                let entry = entries[position]
                if Int(entry.nameCount) == name.count,
                   name.isEmpty || memcmp(all.baseAddress! + entry.start, name.baseAddress!, name.count) == 0 {
                    return position
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    private func grow(toHold count: Int) {
        guard count * 2 > slots.count else { return }
        var size = max(16, slots.count)
        while size < count * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        bytes.withUnsafeBufferPointer { all in
            for position in entries.indices {
                insertSlot(for: position, hash: hash(UnsafeBufferPointer(rebasing: all[nameRange(entries[position])])))
            }
        }
    }

    private func insertSlot(for position: Int, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        // An environment held in memory has far fewer than 2^31 variables.
        slots[slot] = Int32(truncatingIfNeeded: position + 1)
    }

    private func hash(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: NameIndex.hash(UnsafeRawBufferPointer(name)))
    }
}
