/// Where the parts of a connection URI of the common shape lie in its UTF-8 bytes: printable
/// ASCII, one leading `scheme://`, no brackets (IPv6) and no fragment, and a port that is
/// digits up to 65535 when there is one.
///
/// Both one-pass readers of such URIs start here: `AirflowURIFastPath` (a `Connection`) and
/// `CommonURIReportLine` (`uri parse --jsonl`'s line straight from the bytes). Any other URI
/// has no shape (nil) and goes through the path that mirrors Airflow step by step.
struct CommonURIShape {
    /// Where the scheme ends (its `:`).
    let schemeEnd: Int
    /// The netloc: after `://`, up to the first `/` or `?`.
    let netloc: Range<Int>
    /// Where the path (from the netloc's end) ends: the first `?`, or the end.
    let pathEnd: Int
    /// The user info before the netloc's last `@`, split at its first `:`; nil without an `@`.
    let login: Range<Int>?
    let password: Range<Int>?
    /// The host, between the user info and the first `:` after it.
    let host: Range<Int>
    /// The port as urlsplit's `.port` reads it; nil when there is none.
    let port: Int?
    /// Everything after the `?`; empty when there is no query.
    let query: Range<Int>
    /// The whole URI's length.
    let count: Int

    /// The path after its leading `/` (Airflow's schema, still quoted).
    var schema: Range<Int> { min(netloc.upperBound + 1, pathEnd)..<pathEnd }

    init?(_ b: UnsafeBufferPointer<UInt8>) {
        let end = b.count
        // Printable ASCII only: nothing for urlsplit to strip or remove, no NFKC check, no
        // U+FFFD substitution in raw text. No brackets (IPv6) and no fragment.
        var schemeEnd = -1
        var separators = 0
        let refused = Self.byteKinds.withUnsafeBufferPointer { kinds -> Bool in
            var i = 0
            while i < end {
                // Eight plain bytes at a time; a word holding anything else goes byte by byte.
                if i + 8 <= end, !Self.mayHoldSpecialByte(UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                switch kinds[Int(b[i])] {
                case 0:
                    i += 1
                case 2:
                    if i + 2 < end, b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/") {
                        if separators == 0 { schemeEnd = i }
                        separators += 1
                        i += 3
                    } else {
                        i += 1
                    }
                default:
                    return true
                }
            }
            return false
        }
        guard !refused, separators == 1, schemeEnd > 0 else { return nil }
        // urlsplit's scheme: a letter, then letters, digits, `+-.`; the first `:` must be this one.
        guard Self.isLetter(b[0]) else { return nil }
        for k in 1..<schemeEnd where !Self.isSchemeByte(b[k]) { return nil }

        let netlocStart = schemeEnd + 3
        var netlocEnd = netlocStart
        while netlocEnd < end, b[netlocEnd] != UInt8(ascii: "/"), b[netlocEnd] != UInt8(ascii: "?") { netlocEnd += 1 }
        var pathEnd = netlocEnd
        while pathEnd < end, b[pathEnd] != UInt8(ascii: "?") { pathEnd += 1 }

        var hostStart = netlocStart
        var at = netlocEnd - 1
        while at >= netlocStart, b[at] != UInt8(ascii: "@") { at -= 1 }
        if at >= netlocStart {
            hostStart = at + 1
            var colon = netlocStart
            while colon < at, b[colon] != UInt8(ascii: ":") { colon += 1 }
            login = netlocStart..<colon
            password = colon < at ? (colon + 1)..<at : nil
        } else {
            login = nil
            password = nil
        }
        var hostEnd = hostStart
        while hostEnd < netlocEnd, b[hostEnd] != UInt8(ascii: ":") { hostEnd += 1 }
        if hostEnd + 1 < netlocEnd {
            var value = 0
            for k in (hostEnd + 1)..<netlocEnd {
                let digit = b[k] &- 0x30
                // Anything else raises in urlsplit's .port: leave the message to the full path.
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
                if value > 65535 { return nil }
            }
            port = value
        } else {
            port = nil
        }
        self.schemeEnd = schemeEnd
        self.netloc = netlocStart..<netlocEnd
        self.pathEnd = pathEnd
        self.host = hostStart..<hostEnd
        self.query = min(pathEnd + 1, end)..<end
        self.count = end
    }

    /// Whether a word of eight bytes may hold a byte that is not plain in the first scan (see
    /// `byteKinds`): never false for such a word, rarely true for another.
    @inline(__always)
    private static func mayHoldSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        // A byte at or below 0x20, at or above 0x7F (its own high bit, or 0x7F + 1's), `[`, `]`, `#`, `:`.
        let below = (word &- ones &* 0x21) & ~word & highs
        let above = (word | (word &+ ones)) & highs
        return below | above != 0
            || hasZeroByte(word ^ (ones &* 0x5B)) || hasZeroByte(word ^ (ones &* 0x5D))
            || hasZeroByte(word ^ (ones &* 0x23)) || hasZeroByte(word ^ (ones &* 0x3A))
    }

    /// Each byte's part in the first scan: 0 plain, 1 refused (controls, space, beyond ASCII,
    /// `[`, `]`, `#`), 2 a `:` that may start `://`.
    private static let byteKinds: [UInt8] = (0...255).map { c -> UInt8 in
        if c <= 0x20 || c >= 0x7F || c == Int(UInt8(ascii: "[")) || c == Int(UInt8(ascii: "]")) || c == Int(UInt8(ascii: "#")) { return 1 }
        return c == Int(UInt8(ascii: ":")) ? 2 : 0
    }

    @inline(__always)
    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }

    @inline(__always)
    private static func isSchemeByte(_ c: UInt8) -> Bool {
        isLetter(c) || c &- 0x30 < 10 || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }
}
