import PythonCompat
/// The common shape of a connection URI — printable ASCII, one leading `scheme://`, no
/// brackets, fragment or encoded hostname — parsed in one pass over its UTF-8 bytes.
///
/// It gives exactly what `AirflowURIParser`'s step-by-step path gives for such a URI, and answers
/// nil for anything else (and for anything that would raise), so that unusual URIs and every
/// error still go through the path that mirrors Airflow step by step.
enum AirflowURIFastPath {
    static func parse(_ uri: String, dialect: ConnectionDialect) throws -> Connection? {
        var copy = uri
        return try copy.withUTF8 { try parse(bytes: $0, dialect: dialect) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>, dialect: ConnectionDialect) throws -> Connection? {
        var unused: QueryForm?
        return try parse(bytes: b, dialect: dialect, query: &unused, wantsQuery: false)
    }

    /// What get_uri() writes after the `?` for the extra a query gave, when parsing already knows.
    enum QueryForm {
        /// The pairs again, url-encoded: every value stayed a `str`.
        case pairs([UInt8])
        /// `__extra__=` and the whole extra: core decoded a value into something not a `str`.
        case wholeExtra
    }

    /// `parse(bytes:dialect:)`, also setting `query` (with `wantsQuery`) to what get_uri() will
    /// write for the extra, where the parse can tell; nil otherwise (no query, `__extra__` given
    /// verbatim, or a value core decoded into a `str`).
    static func parse(bytes b: UnsafeBufferPointer<UInt8>, dialect: ConnectionDialect,
                      query: inout QueryForm?, wantsQuery: Bool = true) throws -> Connection? {
        query = nil
        let end = b.count
        // Printable ASCII only: nothing for urlsplit to strip or remove, no NFKC check, no
        // U+FFFD substitution in raw text. No brackets (IPv6) and no fragment.
        var schemeEnd = -1
        var separators = 0
        var i = 0
        while i < end {
            let c = b[i]
            if c <= 0x20 || c >= 0x7F || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "#") {
                return nil
            }
            if c == UInt8(ascii: ":"), i + 2 < end, b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/") {
                if separators == 0 { schemeEnd = i }
                separators += 1
                i += 3
                continue
            }
            i += 1
        }
        guard separators == 1, schemeEnd > 0 else { return nil }
        // urlsplit's scheme: a letter, then letters, digits, `+-.`; the first `:` must be this one.
        guard isLetter(b[0]) else { return nil }
        for k in 1..<schemeEnd where !isSchemeByte(b[k]) { return nil }

        var connection = Connection()
        connection.connType = connType(UnsafeBufferPointer(rebasing: b[0..<schemeEnd]))

        // netloc: up to the first `/` or `?`.
        let netlocStart = schemeEnd + 3
        var netlocEnd = netlocStart
        while netlocEnd < end, b[netlocEnd] != UInt8(ascii: "/"), b[netlocEnd] != UInt8(ascii: "?") { netlocEnd += 1 }
        var pathEnd = netlocEnd
        while pathEnd < end, b[pathEnd] != UInt8(ascii: "?") { pathEnd += 1 }

        // userinfo before the last `@`, hostinfo after it.
        var hostStart = netlocStart
        var at = netlocEnd - 1
        while at >= netlocStart, b[at] != UInt8(ascii: "@") { at -= 1 }
        var login: String?, password: String?
        if at >= netlocStart {
            hostStart = at + 1
            var colon = netlocStart
            while colon < at, b[colon] != UInt8(ascii: ":") { colon += 1 }
            login = unquote(b, netlocStart..<colon, plusIsSpace: false)
            if colon < at { password = unquote(b, (colon + 1)..<at, plusIsSpace: false) }
        }
        var hostEnd = hostStart
        while hostEnd < netlocEnd, b[hostEnd] != UInt8(ascii: ":") { hostEnd += 1 }
        var port: Int?
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
        }
        connection.host = host(b, hostStart..<hostEnd)
        // path[1:]: the path starts with its `/` whenever it is not empty.
        connection.schema = pathEnd - netlocEnd > 1 ? unquote(b, (netlocEnd + 1)..<pathEnd, plusIsSpace: false) : ""
        connection.login = login
        connection.password = (dialect != .sdk && password == "") ? nil : password
        connection.port = port
        if pathEnd + 1 < end {
            guard let extra = try extra(b, (pathEnd + 1)..<end, dialect: dialect, query: &query, wantsQuery: wantsQuery) else { return nil }
            connection.extra = extra
        }
        return connection
    }

    /// `dict(parse_qsl(query, keep_blank_values=True))` → `__extra__` verbatim, or its
    /// `json.dumps` (core decodes each value that `json.loads` accepts). Keys and values are
    /// decoded into one byte buffer and compared there (byte equality is Python's str equality
    /// for valid UTF-8). Nil when a decoded key or value is not valid UTF-8: Python's
    /// replacement characters could then merge keys, which the full path handles.
    private static func extra(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                              dialect: ConnectionDialect, query: inout QueryForm?, wantsQuery: Bool) throws -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        // Per pair: key start/end, value start/end in `decoded`.
        var spans: [(Int, Int, Int, Int)] = []
        var partStart = range.lowerBound
        while partStart <= range.upperBound {
            var partEnd = partStart
            while partEnd < range.upperBound, b[partEnd] != UInt8(ascii: "&") { partEnd += 1 }
            if partStart != partEnd {
                var equals = partStart
                while equals < partEnd, b[equals] != UInt8(ascii: "=") { equals += 1 }
                let keyStart = decoded.count
                guard decodePlus(b, partStart..<equals, into: &decoded) else { return nil }
                let valueStart = decoded.count
                if equals < partEnd { guard decodePlus(b, (equals + 1)..<partEnd, into: &decoded) else { return nil } }
                let span = (keyStart, valueStart, valueStart, decoded.count)
                // The last value wins, at the key's first position.
                if let existing = spans.firstIndex(where: { same(decoded, $0.0..<$0.1, keyStart..<valueStart) }) {
                    spans[existing].2 = span.2
                    spans[existing].3 = span.3
                } else {
                    spans.append(span)
                }
            }
            guard partEnd != range.upperBound else { break }
            partStart = partEnd + 1
        }
        return try decoded.withUnsafeBufferPointer { d -> String in
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: d[r]), as: UTF8.self) }
            for span in spans where isExtraKey(d, span.0..<span.1) {
                let extra = text(span.2..<span.3)
                if dialect == .core && !extra.isEmpty { try AirflowExtraValidation.validate(extra) }
                return extra
            }
            var out: [UInt8] = []
            out.reserveCapacity(range.count + 8 * spans.count + 8)
            out.append(UInt8(ascii: "{"))
            // get_uri() of this extra: its pairs again while every value stays a `str`; the
            // whole extra once core decodes one into anything else; unknown (nil) when core
            // decodes one into a `str`, whose text then differs from the query's.
            var valuesStayText = !spans.isEmpty, decodedIntoText = false
            for (index, span) in spans.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
                appendJSONString(d, span.0..<span.1, to: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: " "))
                let value = span.2..<span.3
                if dialect == .core, mayStartJSON(d, value),
                   let parsed = try JSONValue.loadsPythonIfDecodable(text(value)) {
                    out.append(contentsOf: parsed.pythonDumps().utf8)
                    if case .string = parsed { decodedIntoText = true }
                    valuesStayText = false
                } else {
                    appendJSONString(d, value, to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
            if !wantsQuery {
                // Nothing to work out.
            } else if valuesStayText {
                var encoded: [UInt8] = []
                encoded.reserveCapacity(range.count + 8)
                for (index, span) in spans.enumerated() {
                    if index > 0 { encoded.append(UInt8(ascii: "&")) }
                    PythonURL.quote(bytes: UnsafeBufferPointer(rebasing: d[span.0..<span.1]), spaceAsPlus: true, into: &encoded)
                    encoded.append(UInt8(ascii: "="))
                    PythonURL.quote(bytes: UnsafeBufferPointer(rebasing: d[span.2..<span.3]), spaceAsPlus: true, into: &encoded)
                }
                query = .pairs(encoded)
            } else if !spans.isEmpty && !decodedIntoText {
                query = .wholeExtra
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `unquote_plus` of a byte range, appended to `out`; false when the result is not valid UTF-8.
    private static func decodePlus(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout [UInt8]) -> Bool {
        let start = out.count
        if appendUnquoted(b, range, plusIsSpace: true, to: &out) {
            return out[start...].withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
        }
        return true
    }

    /// Appends the percent-decoded bytes of a range (and `+` as a space when `plusIsSpace`);
    /// tells whether any decoded byte is beyond ASCII, so may not be valid UTF-8.
    private static func appendUnquoted(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plusIsSpace: Bool,
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

    private static func isExtraKey(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let key = AirflowURIParser.extraKey.utf8
        return r.count == key.count && d[r].elementsEqual(key)
    }

    /// Whether `json.loads` could accept the text: leading whitespace, then a value's first byte.
    private static func mayStartJSON(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var k = r.lowerBound
        while k < r.upperBound, d[k] == 0x20 || d[k] == 0x09 || d[k] == 0x0A || d[k] == 0x0D { k += 1 }
        guard k < r.upperBound else { return false }
        switch d[k] {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), 0x30...0x39,
             UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            return true
        default:
            return false
        }
    }

    /// `json.dumps` of a decoded str (ensure_ascii): plain printable ASCII copied, the rest
    /// escaped as the dumper escapes it.
    private static func appendJSONString(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, to out: inout [UInt8]) {
        var plain = true
        for k in r {
            let byte = d[k]
            if byte < 0x20 || byte >= 0x7F || byte == 0x22 || byte == 0x5C { plain = false; break }
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: d[r]))
            out.append(UInt8(ascii: "\""))
        } else {
            var escaped = ""
            JSONValue.appendPythonJSONString(String(decoding: UnsafeBufferPointer(rebasing: d[r]), as: UTF8.self), into: &escaped)
            out.append(contentsOf: escaped.utf8)
        }
    }

    /// `unquote` / `unquote_plus` of a byte range. With `strict`, nil when the decoded bytes are
    /// not valid UTF-8 (the caller then leaves the URI to the full path).
    private static func unquote(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, plusIsSpace: Bool,
                                strict: Bool = false) -> String? {
        var needsWork = false
        for k in range where b[k] == UInt8(ascii: "%") || (plusIsSpace && b[k] == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        let nonASCII = appendUnquoted(b, range, plusIsSpace: plusIsSpace, to: &out)
        if strict && nonASCII {
            guard String(validating: out, as: UTF8.self) != nil else { return nil }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `.hostname` unquoted: lower-cased up to the first `%`, then percent-decoded; when that
    /// gives a `/`, Airflow keeps the raw text's case (`_parse_netloc_to_hostname`).
    private static func host(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        guard let percent = range.first(where: { b[$0] == UInt8(ascii: "%") }) else { return lowered(b, range) }
        var text: [UInt8] = []
        text.reserveCapacity(range.count)
        for k in range { text.append(k < percent && b[k] &- 0x41 < 26 ? b[k] + 0x20 : b[k]) }
        let decoded = text.withUnsafeBufferPointer { unquote($0, 0..<$0.count, plusIsSpace: false)! }
        if decoded.utf8.contains(UInt8(ascii: "/")) { return unquote(b, range, plusIsSpace: false)! }
        return decoded
    }

    /// ASCII lower-casing of a byte range.
    private static func lowered(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var hasUpper = false
        for k in range where b[k] &- 0x41 < 26 { hasUpper = true; break }
        if !hasUpper { return String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) }
        return String(unsafeUninitializedCapacity: range.count) { buffer in
            var j = 0
            for k in range {
                let c = b[k]
                buffer[j] = c &- 0x41 < 26 ? c + 0x20 : c
                j += 1
            }
            return range.count
        }
    }

    /// `_normalize_conn_type` of the lower-cased scheme.
    private static func connType(_ scheme: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(unsafeUninitializedCapacity: scheme.count) { buffer in
            for (j, c) in scheme.enumerated() {
                buffer[j] = c &- 0x41 < 26 ? c + 0x20 : (c == UInt8(ascii: "-") ? UInt8(ascii: "_") : c)
            }
            return scheme.count
        }
        return text == "postgresql" ? "postgres" : text
    }

    @inline(__always)
    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }

    @inline(__always)
    private static func isSchemeByte(_ c: UInt8) -> Bool {
        isLetter(c) || c &- 0x30 < 10 || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }
}
