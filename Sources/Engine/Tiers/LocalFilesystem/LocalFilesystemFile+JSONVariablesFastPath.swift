extension LocalFilesystemFile {
    /// The entries of a JSON variables file in the common shape, read straight from its bytes,
    /// or `nil` when anything in the file is unusual.
    ///
    /// The common shape is a non-empty object whose keys are ASCII strings without escapes,
    /// each once, and whose values are strings (escapes decoded by `json.loads`'s own string
    /// scanner). For such a file the result is exactly what `parseJSON` gives — `str` keys and
    /// values, the key's line, file order — without building a `PythonDict` or the key-line
    /// dictionary. Anything else (a number, `true`, `null`, a nested value, a duplicate key,
    /// a control character, any syntax error) declines, so every error and every unusual case
    /// still comes from the general path.
    static func fastJSONVariableEntries(_ text: String) -> [Entry]? {
        text.withSharedUTF8 { bytes in fastJSONVariableRows(bytes).map { entries(of: $0, format: .json, bytes) } }
    }

    /// `fastJSONVariableEntries` as rows of offsets. A value with escapes is flagged, its range
    /// starting at its opening quote; any other value's range is its content.
    static func fastJSONVariableRows(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalFileRows? {
        guard LocalFileRows.fit(bytes.count) else { return nil }
        var scanner = FlatJSONScanner(bytes: bytes)
        return scanner.rows()
    }

    /// The value of row `row` of `fastJSONVariableRows`: its bytes, or its escapes decoded.
    static func jsonVariableValue(_ rows: LocalFileRows, _ row: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let range = rows[row].valueRange
        guard rows.isFlagged(row) else { return LocalFileRows.string(range, bytes) }
        // The scanner decoded it once already, so it decodes again.
        return PythonJSON.string(in: bytes, quoteAt: range.lowerBound)?.text ?? ""
    }
}

/// The byte scanner behind `fastJSONVariableEntries`; every step declines (`nil`) at the first
/// thing outside the common shape.
private struct FlatJSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The 1-based line of `index`: strings hold no raw newline, so whitespace counts them all.
    private var line = 1

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private static let quote = UInt8(ascii: "\"")

    mutating func rows() -> LocalFileRows? {
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == Self.quote else { return nil }
        var entries = LocalFileRows(reservingCapacity: bytes.count / 32 + 1)
        var keys = ByteRangeIndex(capacity: bytes.count / 32 + 1)
        while true {
            let keyLine = line
            guard let keyRange = plainASCIIString(), keys.insert(keyRange, of: bytes).inserted else { return nil }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            guard let (valueRange, escaped) = stringValue() else { return nil }
            entries.append(key: keyRange, value: valueRange, line: keyLine, flagged: escaped)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) {
                skipWhitespace()
                continue
            }
            guard consume(UInt8(ascii: "}")) else { return nil }
            break
        }
        skipWhitespace()
        return index == bytes.count ? entries : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// JSON whitespace (`json.loads` allows exactly these four).
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: index += 1; line += 1
            default: return
            }
        }
    }

    /// A key: ASCII, no escape, no control character (so equal keys are equal bytes).
    private mutating func plainASCIIString() -> Range<Int>? {
        guard consume(Self.quote) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                return start..<(index - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
            index += 1
        }
        return nil
    }

    /// A string value `json.loads` decodes: the range of its content, or (escaped) of the
    /// string from its opening quote.
    private mutating func stringValue() -> (Range<Int>, escaped: Bool)? {
        guard index < bytes.count, bytes[index] == Self.quote else { return nil }
        let quoteAt = index
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                return (start..<(index - 1), false)
            }
            if byte == UInt8(ascii: "\\") {
                guard let (_, end) = PythonJSON.string(in: bytes, quoteAt: quoteAt) else { return nil }
                index = end
                return (quoteAt..<end, true)
            }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

}
