/// Bytes written through a pointer into a buffer of fixed size: the byte-level writers of bulk
/// conversions, where `Array.append` per byte cost more than the parsing. Writing past the end
/// writes nothing and marks the writer `overflowed`, so a bound that proves too small costs a
/// fallback, never memory safety.
struct BoundedByteWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>
    private var position: UnsafeMutablePointer<UInt8>
    /// Whether a write did not fit: what was written is then incomplete.
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        start = buffer.baseAddress!
        end = start + buffer.count
        position = start
    }

    /// Bytes written so far.
    var count: Int { position - start }

    /// What was written.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    /// The byte written at `offset`.
    subscript(offset: Int) -> UInt8 { start[offset] }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        guard position < end else { return overflowed = true }
        position.pointee = byte
        position += 1
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= end - position else { return overflowed = true }
        if let base = bytes.baseAddress { position.update(from: base, count: bytes.count) }
        position += bytes.count
    }

    @inline(__always)
    mutating func put(_ text: StaticString) {
        put(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Forgets the last `count` bytes written.
    mutating func removeLast(_ count: Int) {
        position -= min(count, self.count)
    }

    /// `quote` / `quote_plus` (safe="") of one byte of a str's UTF-8.
    @inline(__always)
    mutating func putQuoted(_ byte: UInt8, spaceAsPlus: Bool) {
        if PythonURL.isUnreserved(byte) {
            put(byte)
        } else if spaceAsPlus && byte == 0x20 {
            put(UInt8(ascii: "+"))
        } else {
            put(UInt8(ascii: "%"))
            put(PythonURL.upperHex[Int(byte >> 4)])
            put(PythonURL.upperHex[Int(byte & 0xF)])
        }
    }

    /// One ASCII byte inside a JSON string, as `json.dumps` (ensure_ascii) writes it: printable
    /// bytes as themselves, `"` and `\` and the short escapes, anything else as `\u00xx`.
    @inline(__always)
    mutating func putJSONStringByte(_ byte: UInt8) {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { return put(byte) }
        put(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x5C: put(byte)
        case 0x0A: put(UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "t"))
        case 0x08: put(UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "f"))
        default:
            put("u00")
            put(Self.lowerHex[Int(byte >> 4)])
            put(Self.lowerHex[Int(byte & 0xF)])
        }
    }

    /// A port or other small non-negative number in decimal.
    mutating func putDecimal(_ value: Int) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            put(UInt8(truncatingIfNeeded: rest / divisor) + 0x30)
            rest %= divisor
            divisor /= 10
        }
    }

    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
}
