import PythonCompat

/// `strata uri parse --jsonl`'s line for a URI of the common shape, written straight from the
/// URI's bytes: the fields Airflow's parser gives, then get_uri(), with no `Connection` made.
///
/// This is the hot loop of bulk conversions. It covers the URIs people write — ASCII user info,
/// schema and query, a plain host, query values that stay text or that core decodes into a
/// number, `true`, `false` or `null`, and an `__extra__` that Airflow accepts — and declines
/// everything else (nothing written), which the caller then takes through `Connection`: decoded
/// bytes beyond ASCII, a query of empty pairs only, a value whose
/// `json.loads` is anything else, an `__extra__` Airflow refuses, a line over 16 KiB. The line
/// is byte for byte what the general writer gives (checked by `CommonURIReportLineTests` and the
/// `fuzz-uri-report-line` target).
public enum CommonURIReportLine {
    /// Longest URI taken: the line is written into a scratch buffer sized from the URI.
    static let maximumLength = 16 * 1024

    /// Room for the first attempt at any line, ready to copy in.
    private static let zeros = [UInt8](repeating: 0, count: 4 * maximumLength + 256)

    /// Appends the report line (with its newline) of `uri` for `dialect`; false, with nothing
    /// appended, when the URI is not one this writer covers.
    public static func append(uri b: UnsafeBufferPointer<UInt8>, dialect: ConnectionDialect, to out: inout [UInt8]) -> Bool {
        guard b.count <= maximumLength, let shape = CommonURIShape(b),
              shape.login.map({ decodesToASCII(b, $0) }) ?? true,
              shape.password.map({ decodesToASCII(b, $0) }) ?? true,
              decodesToASCII(b, shape.schema) else { return false }
        var extra = Extra.none
        if !shape.query.isEmpty {
            guard let query = CommonURIQuery(b, shape.query), !query.hasNonASCII, !query.pairs.isEmpty else { return false }
            if let verbatim = query.verbatimExtra {
                guard let uriQuery = verbatimExtraQuery(query.decoded[verbatim], dialect: dialect) else { return false }
                extra = .verbatim(query, verbatim, uriQuery)
            } else {
                var valuesStayText = true
                if dialect == .core {
                    // Core 3.1+ json.loads every non-empty value: only the literals that dump
                    // as they read are written here.
                    for pair in query.pairs where query.mayBeJSON(pair.value) {
                        guard dumpsAsItself(query.decoded[pair.value]) else { return false }
                        valuesStayText = false
                    }
                }
                extra = .pairs(query, valuesStayText: valuesStayText)
            }
        }
        // The extra's JSON text, made once: the `extra` member and get_uri()'s `__extra__=` both embed it.
        var extraBound = 1
        if case .pairs(let query, _) = extra { extraBound += 6 * query.decoded.count + 8 * query.pairs.count + 2 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: extraBound) { extraBuffer in
          var extraJSON = BoundedByteWriter(extraBuffer)
          if case .pairs(let query, _) = extra { putExtraJSON(query, dialect, to: &extraJSON) }
          guard !extraJSON.overflowed else { return false }
          return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: shape.host.count + 1) { hostBuffer in
            guard let host = decodedHost(b, shape.host, into: hostBuffer) else { return false }
            // Written in place at the end of `out` (no scratch buffer to allocate and copy from),
            // into room for typical lines, which grow about threefold; a line that outgrows it is
            // written again with room for the worst case, and one that outgrows that goes the
            // general way.
            let start = out.count
            for capacity in [4 * b.count + 256, 64 * b.count + 256] {
                // Copied from a zero block (one memcpy) where it fits: cheaper than a fill loop.
                if capacity <= Self.zeros.count {
                    Self.zeros.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<capacity])) }
                } else {
                    out.append(contentsOf: repeatElement(0, count: capacity))
                }
                let written = out.withUnsafeMutableBufferPointer { all -> Int? in
                    var line = BoundedByteWriter(UnsafeMutableBufferPointer(rebasing: all[start...]))
                    write(b, shape, host, extra, extraJSON.written, dialect, to: &line)
                    return line.overflowed ? nil : line.count
                }
                out.removeLast(capacity - (written ?? 0))
                if written != nil { return true }
            }
            return false
          }
        }
    }

    /// Airflow's host: `.hostname` (lower-cased up to its first `%`) unquoted, or the raw host
    /// unquoted with its case when that holds a `/` (`_parse_netloc_to_hostname`). Nil when a
    /// decoded byte is beyond ASCII.
    private static func decodedHost(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                    into buffer: UnsafeMutableBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        func decode(lowering: Bool) -> Int? {
            var count = 0
            var lowering = lowering
            var k = range.lowerBound
            while k < range.upperBound {
                var c = b[k]
                if c == UInt8(ascii: "%") {
                    lowering = false
                    if k + 2 < range.upperBound, let high = PythonURL.hexValue(b[k + 1]), let low = PythonURL.hexValue(b[k + 2]) {
                        c = high << 4 | low
                        guard c < 0x80 else { return nil }
                        k += 2
                    }
                }
                buffer[count] = lowering ? lowered(c) : c
                count += 1
                k += 1
            }
            return count
        }
        guard var count = decode(lowering: true) else { return nil }
        if buffer[..<count].contains(UInt8(ascii: "/")) {
            guard let raw = decode(lowering: false) else { return nil }
            count = raw
        }
        return UnsafeBufferPointer(rebasing: buffer[..<count])
    }

    /// What the query makes of the extra.
    private enum Extra {
        /// No query: extra is None.
        case none
        /// A dict of the pairs, dumped; get_uri() writes the pairs again while every value stays text.
        case pairs(CommonURIQuery, valuesStayText: Bool)
        /// `__extra__`'s value taken whole, and what get_uri() writes after the `?` for it.
        case verbatim(CommonURIQuery, Range<Int>, VerbatimQuery)
    }

    /// get_uri()'s query for a verbatim extra.
    private enum VerbatimQuery {
        /// An empty extra is falsy: no query at all.
        case none
        /// A dict of str values: urlencode of its pairs.
        case pairs([(key: String, value: String?)])
        /// Anything else: `__extra__=` and the extra, quote_plus'd.
        case whole
    }

    /// What get_uri() writes for an `__extra__` value, deciding it the way `writeQuery` does
    /// (one decode: on core it is also the parser's validation); nil when either raises.
    private static func verbatimExtraQuery(_ bytes: ArraySlice<UInt8>, dialect: ConnectionDialect) -> VerbatimQuery? {
        guard !bytes.isEmpty else { return VerbatimQuery.none }
        let text = JSONValue.string(String(decoding: bytes, as: UTF8.self))
        let decoded: ExtraQueryPairs.Value
        do {
            decoded = dialect == .core
                ? try PythonOps.validatedCoreExtraPairs(text)
                : try PythonOps.extraDejson(text, building: ExtraQueryPairs.self)
        } catch {
            return nil
        }
        if case .dict(let members) = decoded, members.hasOnlyStrings { return .pairs(members.members) }
        return .whole
    }

    private static func write(_ b: UnsafeBufferPointer<UInt8>, _ shape: CommonURIShape, _ host: UnsafeBufferPointer<UInt8>, _ extra: Extra,
                              _ extraJSON: UnsafeBufferPointer<UInt8>,
                              _ dialect: ConnectionDialect, to line: inout BoundedByteWriter) {
        // The ORM's password setter ignores a falsy value; the SDK keeps "".
        let password = dialect != .sdk && shape.password?.isEmpty == true ? nil : shape.password

        line.put(#"{"conn_type": ""#)
        let connTypeStart = line.count
        for k in 0..<shape.schemeEnd {
            let c = b[k]
            line.put(c &- 0x41 < 26 ? c + 0x20 : (c == UInt8(ascii: "-") ? UInt8(ascii: "_") : c))
        }
        if line.count - connTypeStart == 10, (connTypeStart..<line.count).map({ line[$0] }).elementsEqual("postgresql".utf8) {
            line.removeLast(2)
        }
        let connTypeEnd = line.count
        line.put(#"", "host": ""#)
        for byte in host { line.putJSONStringByte(byte) }
        line.put(#"", "login": "#)
        putJSONString(decoding: b, shape.login, to: &line)
        line.put(#", "password": "#)
        putJSONString(decoding: b, password, to: &line)
        line.put(#", "schema": "#)
        putJSONString(decoding: b, shape.schema, to: &line)
        line.put(#", "port": "#)
        if let port = shape.port { line.putDecimal(port) } else { line.put("null") }
        line.put(#", "extra": "#)
        switch extra {
        case .none:
            line.put("null")
        case .pairs:
            // The dump is ensure_ascii text with no control byte: inside a JSON string only `"`
            // and `\` need escaping again.
            line.put(UInt8(ascii: "\""))
            for byte in extraJSON {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { line.put(UInt8(ascii: "\\")) }
                line.put(byte)
            }
            line.put(UInt8(ascii: "\""))
        case .verbatim(let query, let value, _):
            line.put(UInt8(ascii: "\""))
            for k in value { line.putJSONStringByte(query.decoded[k]) }
            line.put(UInt8(ascii: "\""))
        }

        // get_uri(): unreserved bytes, `%XX` and URI punctuation, which a JSON string holds as
        // they are — all but an inner protocol, written unquoted.
        line.put(#", "uri": ""#)
        for k in connTypeStart..<connTypeEnd {
            let c = line[k]
            line.put(c == UInt8(ascii: "_") ? UInt8(ascii: "-") : c)
        }
        line.put("://")
        // A host holding `://` carries its own protocol: written before the user info, unless
        // (Airflow 3) it is the connection's type, when the host stays whole.
        var hostToUse = host
        if let separator = firstSchemeSeparator(in: host) {
            let hostProtocol = UnsafeBufferPointer(rebasing: host[..<separator])
            let isOwnType = dialect != .airflow2 && (connTypeStart..<connTypeEnd).map({ line[$0] }).elementsEqual(hostProtocol)
            if !isOwnType {
                hostToUse = UnsafeBufferPointer(rebasing: host[(separator + 3)...])
                if !hostProtocol.isEmpty {
                    // Written unquoted by Airflow, so it may hold what a JSON string escapes.
                    for byte in hostProtocol { line.putJSONStringByte(byte) }
                    line.put("://")
                }
            }
        }
        let authorityStart = line.count
        if let login = shape.login { putQuoted(decoding: b, login, to: &line) }
        if let password {
            line.put(UInt8(ascii: ":"))
            putQuoted(decoding: b, password, to: &line)
        }
        let hasAuthority = line.count > authorityStart
        if hasAuthority { line.put(UInt8(ascii: "@")) }
        let hostStart = line.count
        for byte in hostToUse { line.putQuoted(byte, spaceAsPlus: false) }
        if let port = shape.port, port != 0 {
            if line.count == hostStart && !hasAuthority { line.put(UInt8(ascii: "@")) }
            line.put(UInt8(ascii: ":"))
            line.putDecimal(port)
        }
        if !shape.schema.isEmpty {
            line.put(UInt8(ascii: "/"))
            putQuoted(decoding: b, shape.schema, to: &line)
        }
        let queryMark: StaticString = shape.schema.isEmpty ? "/?" : "?"
        switch extra {
        case .none, .verbatim(_, _, .none):
            break
        case .pairs(let query, valuesStayText: true):
            // urlencode of the pairs again: each decoded key and value quote_plus'd.
            line.put(queryMark)
            for (index, pair) in query.pairs.enumerated() {
                if index > 0 { line.put(UInt8(ascii: "&")) }
                for k in pair.key { line.putQuoted(query.decoded[k], spaceAsPlus: true) }
                line.put(UInt8(ascii: "="))
                for k in pair.value { line.putQuoted(query.decoded[k], spaceAsPlus: true) }
            }
        case .pairs(_, valuesStayText: false):
            line.put(queryMark)
            line.put("__extra__=")  // AirflowURIParser.extraKey
            for byte in extraJSON { line.putQuoted(byte, spaceAsPlus: true) }
        case .verbatim(_, _, .pairs(let members)):
            line.put(queryMark)
            for (index, member) in members.enumerated() {
                if index > 0 { line.put(UInt8(ascii: "&")) }
                for byte in member.key.utf8 { line.putQuoted(byte, spaceAsPlus: true) }
                line.put(UInt8(ascii: "="))
                for byte in (member.value ?? "").utf8 { line.putQuoted(byte, spaceAsPlus: true) }
            }
        case .verbatim(let query, let value, .whole):
            line.put(queryMark)
            line.put("__extra__=")  // AirflowURIParser.extraKey
            for k in value { line.putQuoted(query.decoded[k], spaceAsPlus: true) }
        }
        line.put("\"}\n")
    }

    /// `json.dumps` of the query's dict: each key and text value a JSON string, each value core
    /// decoded the literal it is.
    private static func putExtraJSON(_ query: CommonURIQuery, _ dialect: ConnectionDialect, to json: inout BoundedByteWriter) {
        query.decoded.withUnsafeBufferPointer { d in
            json.put(UInt8(ascii: "{"))
            for (index, pair) in query.pairs.enumerated() {
                if index > 0 { json.put(", ") }
                json.put(UInt8(ascii: "\""))
                for k in pair.key { json.putJSONStringByte(d[k]) }
                json.put("\": ")
                if dialect == .core && query.mayBeJSON(pair.value) {
                    json.put(UnsafeBufferPointer(rebasing: d[pair.value]))
                } else {
                    json.put(UInt8(ascii: "\""))
                    for k in pair.value { json.putJSONStringByte(d[k]) }
                    json.put(UInt8(ascii: "\""))
                }
            }
            json.put(UInt8(ascii: "}"))
        }
    }

    /// A decoded ASCII range as a JSON string, or `null` when there is none.
    private static func putJSONString(decoding b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?,
                                      to line: inout BoundedByteWriter) {
        guard let range else { return line.put("null") }
        line.put(UInt8(ascii: "\""))
        PercentDecoding.forEachDecoded(b, range) { line.putJSONStringByte($0) }
        line.put(UInt8(ascii: "\""))
    }

    /// `quote(unquote(text), safe="")` of a range whose decoded bytes are ASCII.
    private static func putQuoted(decoding b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to line: inout BoundedByteWriter) {
        PercentDecoding.forEachDecoded(b, range) { line.putQuoted($0, spaceAsPlus: false) }
    }

    @inline(__always)
    private static func lowered(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c + 0x20 : c }

    private static func firstSchemeSeparator(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 3 else { return nil }
        for k in 0...(bytes.count - 3)
        where bytes[k] == UInt8(ascii: ":") && bytes[k + 1] == UInt8(ascii: "/") && bytes[k + 2] == UInt8(ascii: "/") {
            return k
        }
        return nil
    }

    /// Whether `unquote` of the range gives only ASCII bytes (no `%XX` of 0x80 or more).
    private static func decodesToASCII(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var ascii = true
        PercentDecoding.forEachDecoded(b, range) { if $0 >= 0x80 { ascii = false } }
        return ascii
    }

    /// Whether `json.dumps(json.loads(text))` is the text itself and not a `str`: `true`,
    /// `false`, `null`, or an integer without leading zeros, `+` or `-0`, of at most 18 digits
    /// (far inside Python's int-string limit).
    private static func dumpsAsItself(_ text: ArraySlice<UInt8>) -> Bool {
        if text.elementsEqual("true".utf8) || text.elementsEqual("false".utf8) || text.elementsEqual("null".utf8) { return true }
        let digits = text.first == UInt8(ascii: "-") ? text.dropFirst() : text
        guard (1...18).contains(digits.count), digits.allSatisfy({ $0 &- 0x30 < 10 }) else { return false }
        // "0" alone; no leading zero otherwise, and no "-0" (it dumps as 0).
        return digits.first != UInt8(ascii: "0") || (digits.count == 1 && digits.count == text.count)
    }
}
