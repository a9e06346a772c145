import PythonCompat
/// CPython 3.11's `urllib.parse` functions that Airflow's connection codec is built on, reproduced
/// byte for byte over UTF-8 (every delimiter is ASCII, so byte and code-point scanning agree).
public enum PythonURL {
    /// `urllib.parse.SplitResult` and its derived attributes.
    public struct SplitResult: Sendable, Hashable {
        public var scheme: String
        public var netloc: String
        public var path: String
        public var query: String
        public var fragment: String

        /// `.username`: userinfo (before the last `@`) up to its first `:`; nil without `@`.
        public var username: String? {
            guard let at = netloc.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
            let userinfo = netloc[..<at]
            if let colon = userinfo.utf8.firstIndex(of: UInt8(ascii: ":")) { return String(userinfo[..<colon]) }
            return String(userinfo)
        }

        /// `.password`: userinfo after its first `:`; nil without `@` or without `:`.
        public var password: String? {
            guard let at = netloc.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
            let userinfo = netloc[..<at]
            guard let colon = userinfo.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            return String(userinfo[userinfo.utf8.index(after: colon)...])
        }

        /// `._hostinfo`: the raw hostname and port text (port nil when empty).
        var hostInfo: (hostname: Substring, port: Substring?) {
            var hostinfo = netloc[...]
            if let at = netloc.utf8.lastIndex(of: UInt8(ascii: "@")) {
                hostinfo = netloc[netloc.utf8.index(after: at)...]
            }
            let hostname: Substring
            var port: Substring
            if let open = hostinfo.utf8.firstIndex(of: UInt8(ascii: "[")) {
                let bracketed = hostinfo[hostinfo.utf8.index(after: open)...]
                if let close = bracketed.utf8.firstIndex(of: UInt8(ascii: "]")) {
                    hostname = bracketed[..<close]
                    let after = bracketed[bracketed.utf8.index(after: close)...]
                    if let colon = after.utf8.firstIndex(of: UInt8(ascii: ":")) {
                        port = after[after.utf8.index(after: colon)...]
                    } else {
                        port = after[after.endIndex...]
                    }
                } else {
                    hostname = bracketed
                    port = bracketed[bracketed.endIndex...]
                }
            } else if let colon = hostinfo.utf8.firstIndex(of: UInt8(ascii: ":")) {
                hostname = hostinfo[..<colon]
                port = hostinfo[hostinfo.utf8.index(after: colon)...]
            } else {
                hostname = hostinfo
                port = hostinfo[hostinfo.endIndex...]
            }
            return (hostname, port.isEmpty ? nil : port)
        }

        /// `.hostname`: lower-cased up to the first `%` (the rest is treated as an IPv6 zone id);
        /// nil when empty.
        public var hostname: String? { Self.hostname(fromRaw: hostInfo.hostname) }

        static func hostname(fromRaw raw: Substring) -> String? {
            guard !raw.isEmpty else { return nil }
            if let percent = raw.utf8.firstIndex(of: UInt8(ascii: "%")) {
                return PythonText.lower(raw[..<percent]) + raw[percent...]
            }
            return PythonText.lower(raw)
        }

        /// `.port`: nil when absent or empty; `ValueError` unless ASCII digits within 0…65535.
        public func port() throws -> Int? { try Self.port(fromText: hostInfo.port) }

        static func port(fromText text: Substring?) throws -> Int? {
            guard let text else { return nil }
            var value = 0
            for byte in text.utf8 {
                guard byte &- 0x30 < 10 else {
                    throw AirflowError("ValueError", "Port could not be cast to integer value as \(PythonValue.stringRepr(String(text)))")
                }
                if value <= 65535 { value = value * 10 + Int(byte - 0x30) }
            }
            guard value <= 65535 else { throw AirflowError("ValueError", "Port out of range 0-65535") }
            return value
        }
    }

    /// `urlsplit(url)` (allow_fragments=True): strips leading C0 controls and spaces, removes tab,
    /// CR and LF, and raises `ValueError` for unbalanced or invalid brackets and for netlocs
    /// that NFKC normalisation would change into delimiters.
    public static func urlsplit(_ url: String) throws -> SplitResult {
        try withPreparedBytes(url) { try split($0, materialize: true) }
    }

    /// `urlsplit(url).scheme`, with every check `urlsplit` makes (it may raise).
    static func urlsplitScheme(_ url: String) throws -> String {
        try withPreparedBytes(url) { try split($0, materialize: false).scheme }
    }

    /// The URL's UTF-8 after `lstrip(C0 control or space)` and removal of tab, CR and LF;
    /// copied only when something has to be removed.
    private static func withPreparedBytes<T>(_ url: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        var copy = url
        return try copy.withUTF8 { original -> T in
            var needsWork = original.first.map { $0 <= 0x20 } ?? false
            if !needsWork {
                for b in original where b == 0x09 || b == 0x0A || b == 0x0D { needsWork = true; break }
            }
            guard needsWork else { return try body(original) }
            var bytes = Array(original)
            var start = 0
            while start < bytes.count, bytes[start] <= 0x20 { start += 1 }
            if start > 0 { bytes.removeFirst(start) }
            bytes.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            return try bytes.withUnsafeBufferPointer { try body($0) }
        }
    }

    private static func isSchemeByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): return true
        default: return false
        }
    }

    private static func split(_ b: UnsafeBufferPointer<UInt8>, materialize: Bool) throws -> SplitResult {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) }
        var scheme = ""
        var position = 0
        let end = b.count
        if let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0,
           (0x41...0x5A).contains(b[0]) || (0x61...0x7A).contains(b[0]),
           b[0..<colon].allSatisfy(isSchemeByte) {
            var lowered = Array(b[0..<colon])
            for i in lowered.indices where (0x41...0x5A).contains(lowered[i]) { lowered[i] += 0x20 }
            scheme = String(decoding: lowered, as: UTF8.self)
            position = colon + 1
        }
        var netloc = ""
        if position + 1 < end, b[position] == UInt8(ascii: "/"), b[position + 1] == UInt8(ascii: "/") {
            let netlocStart = position + 2
            var delimiter = netlocStart
            while delimiter < end {
                let c = b[delimiter]
                if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") { break }
                delimiter += 1
            }
            let netlocBytes = UnsafeBufferPointer(rebasing: b[netlocStart..<delimiter])
            let open = netlocBytes.firstIndex(of: UInt8(ascii: "["))
            let close = netlocBytes.firstIndex(of: UInt8(ascii: "]"))
            if (open == nil) != (close == nil) { throw AirflowError("ValueError", "Invalid IPv6 URL") }
            // The NFKC check only concerns non-ASCII netlocs; otherwise skip building the text.
            if materialize || netlocBytes.contains(where: { $0 >= 0x80 }) { netloc = text(netlocStart..<delimiter) }
            if let open {
                // netloc.partition('[')[2].partition(']')[0]
                let after = netlocBytes[(open + 1)...]
                let bracketedEnd = after.firstIndex(of: UInt8(ascii: "]")) ?? after.endIndex
                let bracketed = String(decoding: UnsafeBufferPointer(rebasing: after[..<bracketedEnd]), as: UTF8.self)
                try checkBracketedHost(bracketed)
            }
            position = delimiter
        }
        if !materialize {
            try checkNetloc(netloc)
            return SplitResult(scheme: scheme, netloc: "", path: "", query: "", fragment: "")
        }
        var pathEnd = end
        var fragment = ""
        if let hash = b[position...].firstIndex(of: UInt8(ascii: "#")) {
            fragment = text((hash + 1)..<end)
            pathEnd = hash
        }
        var query = ""
        if let question = b[position..<pathEnd].firstIndex(of: UInt8(ascii: "?")) {
            query = text((question + 1)..<pathEnd)
            pathEnd = question
        }
        let path = text(position..<pathEnd)
        try checkNetloc(netloc)
        return SplitResult(scheme: scheme, netloc: netloc, path: path, query: query, fragment: fragment)
    }

    /// `_check_bracketed_host`: IPvFuture (`v1.x`) or an IPv6 address (an IPv4 one is refused).
    static func checkBracketedHost(_ host: String) throws {
        if host.hasPrefix("v") {
            // \Av[a-fA-F0-9]+\..+\Z
            let bytes = Array(host.utf8)
            var i = 1
            while i < bytes.count, PythonIPAddress.isHexDigit(bytes[i]) { i += 1 }
            let valid = i > 1 && i < bytes.count && bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count
            if !valid { throw AirflowError("ValueError", "IPvFuture address is invalid") }
            return
        }
        if PythonIPAddress.isIPv4(host[...]) {
            throw AirflowError("ValueError", "An IPv4 address cannot be in brackets")
        }
        if !PythonIPAddress.isIPv6(host) {
            throw AirflowError("ValueError", "\(PythonValue.stringRepr(host)) does not appear to be an IPv4 or IPv6 address")
        }
    }

    /// `_checknetloc`: a non-ASCII netloc must not gain `/?#@:` under NFKC normalisation.
    static func checkNetloc(_ netloc: String) throws {
        guard !netloc.isEmpty, netloc.utf8.contains(where: { $0 >= 0x80 }) else { return }
        let stripped = String(netloc.unicodeScalars.filter { $0 != "@" && $0 != ":" && $0 != "#" && $0 != "?" })
        let normalized = PythonText.nfkc(stripped)
        guard normalized.unicodeScalars.elementsEqual(stripped.unicodeScalars) == false else { return }
        if normalized.unicodeScalars.contains(where: { "/?#@:".unicodeScalars.contains($0) }) {
            throw AirflowError("ValueError", "netloc '\(netloc)' contains invalid characters under NFKC normalization")
        }
    }

    // MARK: Percent-encoding

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// `unquote(s)`: `%XX` decoded as UTF-8 with invalid bytes replaced by U+FFFD; `+` untouched;
    /// a `%` not followed by two hex digits stays as it is.
    public static func unquote<S: StringProtocol>(_ s: S) -> String {
        unquote(s, plusIsSpace: false)
    }

    /// `unquote_plus(s)`: `+` becomes a space first (what `parse_qsl` applies).
    public static func unquotePlus<S: StringProtocol>(_ s: S) -> String {
        unquote(s, plusIsSpace: true)
    }

    private static func unquote<S: StringProtocol>(_ s: S, plusIsSpace: Bool) -> String {
        if let result = s.utf8.withContiguousStorageIfAvailable({ unquote(bytes: $0, plusIsSpace: plusIsSpace) }) {
            return result ?? String(s)
        }
        var copy = String(s)
        return copy.withUTF8 { unquote(bytes: $0, plusIsSpace: plusIsSpace) } ?? copy
    }

    /// nil when there is nothing to decode.
    private static func unquote(bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool) -> String? {
        var needsWork = false
        for b in bytes where b == UInt8(ascii: "%") || (plusIsSpace && b == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
                continue
            }
            out.append(plusIsSpace && b == UInt8(ascii: "+") ? 0x20 : b)
            i += 1
        }
        // Decoding the whole buffer at once gives the same U+FFFD substitutions as CPython's
        // per-ASCII-run decoding: raw non-ASCII text is always complete, well-formed UTF-8.
        return String(decoding: out, as: UTF8.self)
    }

    static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `quote(s, safe="")`: UTF-8, keeping only `A-Za-z0-9_.-~`.
    public static func quote<S: StringProtocol>(_ s: S) -> String { quote(s, spaceAsPlus: false) }

    /// `quote_plus(s, safe="")`: as `quote`, but a space becomes `+`.
    public static func quotePlus<S: StringProtocol>(_ s: S) -> String { quote(s, spaceAsPlus: true) }

    /// `quote` / `quote_plus` appended as bytes, for writers that build a whole URI as bytes.
    static func quote<S: StringProtocol>(_ s: S, spaceAsPlus: Bool, into out: inout [UInt8]) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { quote(bytes: $0, spaceAsPlus: spaceAsPlus, into: &out) }
        if done != nil { return }
        for b in s.utf8 {
            if isUnreserved(b) { out.append(b) } else { appendEscaped(b, spaceAsPlus: spaceAsPlus, to: &out) }
        }
    }

    @inline(__always)
    private static func appendEscaped(_ b: UInt8, spaceAsPlus: Bool, to out: inout [UInt8]) {
        if spaceAsPlus && b == 0x20 {
            out.append(UInt8(ascii: "+"))
        } else {
            out.append(UInt8(ascii: "%"))
            out.append(upperHex[Int(b >> 4)])
            out.append(upperHex[Int(b & 0xF)])
        }
    }

    /// `urlencode(pairs)` appended as bytes.
    /// `quote` / `quote_plus` of a str's UTF-8 bytes, appended as bytes.
    static func quote(bytes: UnsafeBufferPointer<UInt8>, spaceAsPlus: Bool, into out: inout [UInt8]) {
        // Runs of unreserved bytes are copied whole; only the rest is escaped byte by byte.
        var runStart = 0
        for index in 0..<bytes.count where !isUnreserved(bytes[index]) {
            if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            appendEscaped(bytes[index], spaceAsPlus: spaceAsPlus, to: &out)
            runStart = index + 1
        }
        if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    static func urlencode<Pairs: Sequence>(_ pairs: Pairs, into out: inout [UInt8]) where Pairs.Element == (String, String) {
        var first = true
        for (key, value) in pairs {
            if !first { out.append(UInt8(ascii: "&")) }
            first = false
            quote(key, spaceAsPlus: true, into: &out)
            out.append(UInt8(ascii: "="))
            quote(value, spaceAsPlus: true, into: &out)
        }
    }

    private static func quote<S: StringProtocol>(_ s: S, spaceAsPlus: Bool) -> String {
        let utf8 = s.utf8
        var clean = true
        for b in utf8 where !isUnreserved(b) {
            clean = false
            break
        }
        if clean { return String(s) }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count * 3)
        for b in utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else if spaceAsPlus && b == 0x20 {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(upperHex[Int(b >> 4)])
                out.append(upperHex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    // MARK: Query strings

    /// `parse_qsl(qs, keep_blank_values)`: split on `&` only, each part at its first `=`; empty
    /// parts skipped; `+` is a space; percent-decoding as `unquote`.
    public static func parseQSL<S: StringProtocol>(_ qs: S, keepBlankValues: Bool) -> [(String, String)] {
        var pairs: [(String, String)] = []
        let text = Substring(qs)
        let utf8 = text.utf8
        var partStart = utf8.startIndex
        while partStart <= utf8.endIndex {
            let partEnd = utf8[partStart...].firstIndex(of: UInt8(ascii: "&")) ?? utf8.endIndex
            if partStart != partEnd {
                let part = text[partStart..<partEnd]
                if let equals = part.utf8.firstIndex(of: UInt8(ascii: "=")) {
                    let value = part[part.utf8.index(after: equals)...]
                    if !value.isEmpty || keepBlankValues {
                        pairs.append((unquotePlus(part[..<equals]), unquotePlus(value)))
                    }
                } else if keepBlankValues {
                    pairs.append((unquotePlus(part), ""))
                }
            }
            guard partEnd != utf8.endIndex else { break }
            partStart = utf8.index(after: partEnd)
        }
        return pairs
    }

    /// `urlencode(pairs)` for string keys and values: `quote_plus(k)=quote_plus(v)` joined by `&`.
    public static func urlencode(_ pairs: [(String, String)]) -> String {
        var out = ""
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "&" }
            out += quotePlus(pair.0)
            out += "="
            out += quotePlus(pair.1)
        }
        return out
    }
}
