/// `dict(parse_qsl(query, keep_blank_values=True))` of a common-shape URI's query, decoded once
/// into one byte buffer: the pairs in Python's order, the last value of a repeated key at the
/// key's first position.
///
/// Keys compare as bytes, which is Python's str equality for valid UTF-8; a decoded key or value
/// that is not valid UTF-8 gives no query (nil), because Python's replacement characters could
/// then merge keys — the step-by-step path handles that.
struct CommonURIQuery {
    /// Every decoded key and value, back to back.
    private(set) var decoded: [UInt8] = []
    /// Each pair's key and value as ranges of `decoded`.
    private(set) var pairs: [(key: Range<Int>, value: Range<Int>)] = []
    /// Whether any decoded byte is beyond ASCII.
    private(set) var hasNonASCII = false

    init?(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        decoded.reserveCapacity(range.count)
        var separators = 0
        for k in range where b[k] == UInt8(ascii: "&") { separators += 1 }
        pairs.reserveCapacity(separators + 1)
        var partStart = range.lowerBound
        while partStart <= range.upperBound {
            var partEnd = partStart
            while partEnd < range.upperBound, b[partEnd] != UInt8(ascii: "&") { partEnd += 1 }
            if partStart != partEnd {
                var equals = partStart
                while equals < partEnd, b[equals] != UInt8(ascii: "=") { equals += 1 }
                let keyStart = decoded.count
                guard decodePlus(b, partStart..<equals) else { return nil }
                let valueStart = decoded.count
                if equals < partEnd { guard decodePlus(b, (equals + 1)..<partEnd) else { return nil } }
                let key = keyStart..<valueStart, value = valueStart..<decoded.count
                if let existing = pairs.firstIndex(where: { Self.same(decoded, $0.key, key) }) {
                    pairs[existing].value = value
                } else {
                    pairs.append((key, value))
                }
            }
            guard partEnd != range.upperBound else { break }
            partStart = partEnd + 1
        }
    }

    /// The value of the `__extra__` key, when the query has one: Airflow then takes it verbatim.
    var verbatimExtra: Range<Int>? {
        let name = AirflowURIParser.extraKey.utf8
        for pair in pairs where pair.key.count == name.count && decoded[pair.key].elementsEqual(name) {
            return pair.value
        }
        return nil
    }

    /// Whether `json.loads` could accept a decoded value: optional whitespace, then a value's
    /// first byte. Core 3.1+ tries it on every non-empty value.
    func mayBeJSON(_ value: Range<Int>) -> Bool {
        var k = value.lowerBound
        while k < value.upperBound, decoded[k] == 0x20 || decoded[k] == 0x09 || decoded[k] == 0x0A || decoded[k] == 0x0D { k += 1 }
        guard k < value.upperBound else { return false }
        switch decoded[k] {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), 0x30...0x39,
             UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            return true
        default:
            return false
        }
    }

    /// `unquote_plus` of a byte range appended to `decoded`; false when it is not valid UTF-8.
    private mutating func decodePlus(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let start = decoded.count
        guard PercentDecoding.append(b, range, plusIsSpace: true, to: &decoded) else { return true }
        hasNonASCII = true
        return decoded[start...].withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
    }

    private static func same(_ d: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.lowerBound, j = b.lowerBound
        while i < a.upperBound {
            if d[i] != d[j] { return false }
            i += 1
            j += 1
        }
        return true
    }
}

/// `unquote` / `unquote_plus` on bytes: what both one-pass URI readers decode with.
enum PercentDecoding {
    /// Appends the percent-decoded bytes of a range (and `+` as a space when `plusIsSpace`);
    /// tells whether any decoded byte is beyond ASCII, so may not be valid UTF-8.
    static func append(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plusIsSpace: Bool,
                       to out: inout [UInt8]) -> Bool {
        var nonASCII = false
        var k = range.lowerBound
        while k < range.upperBound {
            let c = b[k]
            if c == UInt8(ascii: "%"), k + 2 < range.upperBound,
               let high = PythonURL.hexValue(b[k + 1]), let low = PythonURL.hexValue(b[k + 2]) {
                let byte = high << 4 | low
                if byte >= 0x80 { nonASCII = true }
                out.append(byte)
                k += 3
                continue
            }
            out.append(plusIsSpace && c == UInt8(ascii: "+") ? 0x20 : c)
            k += 1
        }
        return nonASCII
    }

    /// The decoded bytes of a range (no `+` rule), one at a time, without storing them.
    @inline(__always)
    static func forEachDecoded(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UInt8) -> Void) {
        var k = range.lowerBound
        while k < range.upperBound {
            let c = b[k]
            if c == UInt8(ascii: "%"), k + 2 < range.upperBound,
               let high = PythonURL.hexValue(b[k + 1]), let low = PythonURL.hexValue(b[k + 2]) {
                body(high << 4 | low)
                k += 3
                continue
            }
            body(c)
            k += 1
        }
    }
}
