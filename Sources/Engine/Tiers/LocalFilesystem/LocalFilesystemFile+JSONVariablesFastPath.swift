import PythonCompat
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
    private var cursor: JSONByteCursor

    init(bytes: UnsafeBufferPointer<UInt8>) {
        cursor = JSONByteCursor(bytes)
    }

    mutating func rows() -> LocalFileRows? {
        let bytes = cursor.bytes
        cursor.skipWhitespace()
        guard cursor.consume(UInt8(ascii: "{")) else { return nil }
        cursor.skipWhitespace()
        guard cursor.peek() == JSONByteCursor.quote else { return nil }
        var entries = LocalFileRows(reservingCapacity: bytes.count / 32 + 1)
        var keys = ByteRangeIndex(capacity: bytes.count / 32 + 1)
        while true {
            let keyLine = cursor.line
            // Keys: ASCII, no escape, no control character (so equal keys are equal bytes).
            guard let keyRange = cursor.plainString(asciiOnly: true), keys.insert(keyRange, of: bytes).inserted else { return nil }
            cursor.skipWhitespace()
            guard cursor.consume(UInt8(ascii: ":")) else { return nil }
            cursor.skipWhitespace()
            guard let (valueRange, escaped) = cursor.string() else { return nil }
            entries.append(key: keyRange, value: valueRange, line: keyLine, flagged: escaped)
            cursor.skipWhitespace()
            if cursor.consume(UInt8(ascii: ",")) {
                cursor.skipWhitespace()
                continue
            }
            guard cursor.consume(UInt8(ascii: "}")) else { return nil }
            break
        }
        cursor.skipWhitespace()
        return cursor.atEnd ? entries : nil
    }
}
