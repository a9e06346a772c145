/// The entries of a secret file of a common shape, held as byte offsets into the file's text
/// instead of strings: what the fast paths find, and what a `TierRecordTable` reads records
/// from when they are asked for.
struct LocalFileRows {
    /// One entry: its key's and value's bytes and its 1-based line. 20 bytes.
    struct Row {
        var keyStart: UInt32
        var keyEnd: UInt32
        var valueStart: UInt32
        var valueEnd: UInt32
        var line: UInt32

        var keyRange: Range<Int> { Int(keyStart)..<Int(keyEnd) }
        var valueRange: Range<Int> { Int(valueStart)..<Int(valueEnd) }
    }

    private(set) var rows: [Row] = []
    /// One bit per row: its value is not its bytes as they are but must be decoded by the
    /// format's rule (a JSON string with escapes, a plain YAML scalar resolved by tag, a JSON
    /// connection key that fails `sanitize_conn_id`).
    private var flags: [UInt64] = []

    /// Whether offsets into a text of `byteCount` bytes fit a row.
    static func fit(_ byteCount: Int) -> Bool { byteCount < Int(UInt32.max) }

    init(reservingCapacity capacity: Int = 0) {
        rows.reserveCapacity(capacity)
    }

    var count: Int { rows.count }
    subscript(row: Int) -> Row { rows[row] }

    /// Adds an entry; the caller has checked that the text `fit`s.
    mutating func append(key: Range<Int>, value: Range<Int>, line: Int, flagged: Bool = false) {
        rows.append(Row(keyStart: UInt32(truncatingIfNeeded: key.lowerBound), keyEnd: UInt32(truncatingIfNeeded: key.upperBound),
                        valueStart: UInt32(truncatingIfNeeded: value.lowerBound),
                        valueEnd: UInt32(truncatingIfNeeded: value.upperBound),
                        line: UInt32(clamping: line)))
        setFlag(rows.count - 1, flagged)
    }

    /// Gives entry `row` a new value and line (a key repeated later in the file, where the
    /// format keeps the first position and the last value).
    mutating func replaceValue(of row: Int, with value: Range<Int>, line: Int, flagged: Bool) {
        rows[row].valueStart = UInt32(truncatingIfNeeded: value.lowerBound)
        rows[row].valueEnd = UInt32(truncatingIfNeeded: value.upperBound)
        rows[row].line = UInt32(clamping: line)
        setFlag(row, flagged)
    }

    func isFlagged(_ row: Int) -> Bool {
        let word = row >> 6
        return word < flags.count && flags[word] & (1 << UInt64(row & 63)) != 0
    }

    private mutating func setFlag(_ row: Int, _ flagged: Bool) {
        let word = row >> 6
        if flagged {
            while flags.count <= word { flags.append(0) }
            flags[word] |= 1 << UInt64(row & 63)
        } else if word < flags.count {
            flags[word] &= ~(1 << UInt64(row & 63))
        }
    }

    /// The text of `range` in `bytes`.
    static func string(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

extension String {
    /// Runs `body` on the UTF-8 bytes of a string that is not mutated, without copying a
    /// native string (a file's text, shared by many rows).
    func withSharedUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
