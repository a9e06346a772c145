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
    /// One pair's key and value as ranges of `decoded`. (A struct, not a tuple: an array of
    /// tuples looks its type up at run time on every allocation.)
    struct Pair {
        var key: Range<Int>
        var value: Range<Int>
    }

    /// The pairs, in Python's order.
    private(set) var pairs: [Pair] = []
    /// Whether any decoded byte is beyond ASCII.
    private(set) var hasNonASCII = false

    init?(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var separators = 0
        for k in range where b[k] == UInt8(ascii: "&") { separators += 1 }
        var pairs: [Pair] = []
        pairs.reserveCapacity(separators + 1)
        var hasNonASCII = false, isValid = true
        // Decoding never lengthens the text: written through a pointer, without a check per byte.
        decoded = [UInt8](unsafeUninitializedCapacity: range.count) { out, written in
            var n = 0
            /// `unquote_plus` of a part; false when it is not valid UTF-8.
            func decodePlus(_ part: Range<Int>) -> Bool {
                let start = n
                var nonASCII = false
                PercentDecoding.forEachDecoded(b, part, plusIsSpace: true) { c in
                    if c >= 0x80 { nonASCII = true }
                    out[n] = c
                    n += 1
                }
                guard nonASCII else { return true }
                hasNonASCII = true
                return String(validating: UnsafeBufferPointer(rebasing: out[start..<n]), as: UTF8.self) != nil
            }
            func same(_ x: Range<Int>, _ y: Range<Int>) -> Bool {
                x.count == y.count && out[x].elementsEqual(out[y])
            }
            var partStart = range.lowerBound
            while partStart <= range.upperBound {
                var partEnd = partStart
                while partEnd < range.upperBound, b[partEnd] != UInt8(ascii: "&") { partEnd += 1 }
                if partStart != partEnd {
                    var equals = partStart
                    while equals < partEnd, b[equals] != UInt8(ascii: "=") { equals += 1 }
                    let keyStart = n
                    let valueStart: Int
                    if decodePlus(partStart..<equals) {
                        valueStart = n
                        if equals < partEnd && !decodePlus((equals + 1)..<partEnd) { isValid = false; break }
                    } else {
                        isValid = false
                        break
                    }
                    let key = keyStart..<valueStart, value = valueStart..<n
                    // The last value wins, at the key's first position.
                    if let existing = pairs.firstIndex(where: { same($0.key, key) }) {
                        pairs[existing].value = value
                    } else {
                        pairs.append(Pair(key: key, value: value))
                    }
                }
                guard partEnd != range.upperBound else { break }
                partStart = partEnd + 1
            }
            written = n
        }
        guard isValid else { return nil }
        self.pairs = pairs
        self.hasNonASCII = hasNonASCII
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
}

/// `unquote` / `unquote_plus` on bytes: what both one-pass URI readers decode with.
enum PercentDecoding {
    /// Appends the percent-decoded bytes of a range (and `+` as a space when `plusIsSpace`);
    /// tells whether any decoded byte is beyond ASCII, so may not be valid UTF-8.
    static func append(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plusIsSpace: Bool,
                       to out: inout [UInt8]) -> Bool {
        var nonASCII = false
        forEachDecoded(b, range, plusIsSpace: plusIsSpace) { c in
            if c >= 0x80 { nonASCII = true }
            out.append(c)
        }
        return nonASCII
    }

    /// The decoded bytes of a range (`+` as a space when `plusIsSpace`), one at a time.
    @inline(__always)
    static func forEachDecoded(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plusIsSpace: Bool = false,
                               _ body: (UInt8) -> Void) {
        var k = range.lowerBound
        while k < range.upperBound {
            let c = b[k]
            if c == UInt8(ascii: "%"), k + 2 < range.upperBound,
               let high = PythonURL.hexValue(b[k + 1]), let low = PythonURL.hexValue(b[k + 2]) {
                body(high << 4 | low)
                k += 3
                continue
            }
            body(plusIsSpace && c == UInt8(ascii: "+") ? 0x20 : c)
            k += 1
        }
    }
}
