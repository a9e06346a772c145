extension LocalFilesystemFile {
    /// `_parse_env_file` read straight from the bytes, for a file of the common shape: one
    /// `KEY=value` per `\n`-ended line (or a comment or blank line), each key once. Each entry
    /// costs its two strings; there is no line array, no per-key list and no dictionary of
    /// strings. Returns `nil` — and the general path decides, errors included — for anything
    /// else: a line without `=` or with an empty key or value, a repeated key (several values),
    /// a control character other than tab (Python splits lines at several of them), a Unicode
    /// line separator (U+0085, U+2028, U+2029), or a line whose first non-blank byte is not
    /// ASCII (it could be Unicode whitespace before a `#`). Values are `str`, one per key, as
    /// the general path gives them once a single value is unwrapped.
    static func fastEnvEntries(_ text: String) -> [Entry]? {
        text.withSharedUTF8 { bytes in fastEnvRows(bytes).map { entries(of: $0, format: .env, bytes) } }
    }

    /// `fastEnvEntries` as rows of offsets: each value is its bytes as they are.
    static func fastEnvRows(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalFileRows? {
        let count = bytes.count
        guard LocalFileRows.fit(count) else { return nil }
        var entries = LocalFileRows(reservingCapacity: count / 32 + 1)
        var keys = ByteRangeIndex(capacity: count / 32 + 1)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < count {
            lineNumber += 1
            var end = lineStart
            var equals = -1
            while end < count {
                let byte = bytes[end]
                if byte == 0x0A { break }
                if byte < 0x20, byte != 0x09 { return nil }
                if byte == 0xC2, end + 1 < count, bytes[end + 1] == 0x85 { return nil }
                if byte == 0xE2, end + 2 < count, bytes[end + 1] == 0x80, bytes[end + 2] == 0xA8 || bytes[end + 2] == 0xA9 {
                    return nil
                }
                if byte == 0x3D, equals < 0 { equals = end }
                end += 1
            }
            defer { lineStart = end + 1 }
            if end == lineStart { continue }
            var first = lineStart
            while first < end, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
            if first < end, bytes[first] >= 0x80 { return nil }
            if first < end, bytes[first] == UInt8(ascii: "#") { continue }
            guard equals > lineStart, equals + 1 < end else { return nil }
            guard keys.insert(lineStart..<equals, of: bytes).inserted else { return nil }
            entries.append(key: lineStart..<equals, value: equals + 1..<end, line: lineNumber)
        }
        return entries
    }
}
