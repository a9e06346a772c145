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
        guard let shape = CommonURIShape(b) else { return nil }
        var connection = Connection()
        connection.connType = connType(UnsafeBufferPointer(rebasing: b[0..<shape.schemeEnd]))
        connection.host = host(b, shape.host)
        // path[1:]: the path starts with its `/` whenever it is not empty.
        connection.schema = shape.schema.isEmpty ? "" : unquote(b, shape.schema, plusIsSpace: false)
        connection.login = shape.login.map { unquote(b, $0, plusIsSpace: false)! }
        let password = shape.password.map { unquote(b, $0, plusIsSpace: false)! }
        connection.password = (dialect != .sdk && password == "") ? nil : password
        connection.port = shape.port
        if !shape.query.isEmpty {
            guard let extra = try extra(b, shape.query, dialect: dialect, query: &query, wantsQuery: wantsQuery) else { return nil }
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
        guard let parsed = CommonURIQuery(b, range) else { return nil }
        let decoded = parsed.decoded
        let spans = parsed.pairs.map { ($0.key.lowerBound, $0.key.upperBound, $0.value.lowerBound, $0.value.upperBound) }
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
                if dialect == .core, parsed.mayBeJSON(value),
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

    private static func isExtraKey(_ d: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        let key = AirflowURIParser.extraKey.utf8
        return r.count == key.count && d[r].elementsEqual(key)
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
        let nonASCII = PercentDecoding.append(b, range, plusIsSpace: plusIsSpace, to: &out)
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
}
