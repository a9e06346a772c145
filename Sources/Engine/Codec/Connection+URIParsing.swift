import PythonCompat
/// `Connection(uri=…)` (Airflow 2 and Airflow 3 core) and `Connection.from_uri` (Task SDK).
extension Connection {
    /// Connection(uri=…) for .airflow2/.core, Connection.from_uri for .sdk. Throws `AirflowError`.
    public static func parse(uri: String, dialect: ConnectionDialect) throws -> Connection {
        // The ORM constructor only parses a truthy uri; the SDK's from_uri parses "" too.
        if uri.isEmpty && dialect != .sdk { return Connection() }
        return try AirflowURIParser.parse(uri, dialect: dialect)
    }

    /// `parse(uri:)` straight from a URI's UTF-8 bytes for the common shape of URI (printable
    /// ASCII, one `scheme://`, no brackets or fragment): the same connection `parse(uri:)`
    /// gives. Nil for any other URI, which then needs `parse(uri:)`; bulk conversions use it to
    /// skip making a string of each line.
    public static func parseCommonURI(_ bytes: UnsafeBufferPointer<UInt8>, dialect: ConnectionDialect) throws -> Connection? {
        bytes.isEmpty ? nil : try AirflowURIFastPath.parse(bytes: bytes, dialect: dialect)
    }

    /// `parseCommonURI`, keeping what the parse learnt about the query get_uri() writes back,
    /// so that `ParsedCommonURI.appendURI` need not decode the extra's JSON again.
    public static func parseCommonURIForRoundTrip(_ bytes: UnsafeBufferPointer<UInt8>,
                                                  dialect: ConnectionDialect) throws -> ParsedCommonURI? {
        guard !bytes.isEmpty else { return nil }
        var query: AirflowURIFastPath.QueryForm?
        guard let connection = try AirflowURIFastPath.parse(bytes: bytes, dialect: dialect, query: &query) else { return nil }
        return ParsedCommonURI(connection: connection, dialect: dialect, query: query)
    }
}

/// A connection parsed from a common URI, with the query get_uri() writes for its extra when the
/// parse could tell it (see `Connection.parseCommonURIForRoundTrip`).
public struct ParsedCommonURI {
    public let connection: Connection
    let dialect: ConnectionDialect
    let query: AirflowURIFastPath.QueryForm?

    /// `connection.appendURI(dialect:to:)`, byte for byte, without decoding the extra again
    /// when the parse knew its query.
    public func appendURI(dialect: ConnectionDialect, to out: inout [UInt8]) throws {
        guard let query, dialect == self.dialect, connection.writeTypedAddress(into: &out) else {
            return try connection.appendURI(dialect: dialect, to: &out)
        }
        out.append(contentsOf: ((connection.schema ?? "").isEmpty ? "/?" : "?").utf8)
        switch query {
        case .pairs(let encoded):
            out.append(contentsOf: encoded)
        case .wholeExtra:
            PythonURL.urlencode(CollectionOfOne((AirflowURIParser.extraKey, connection.extra ?? "")), into: &out)
        }
    }
}

/// `_parse_from_uri` / `from_uri`, step by step in Airflow's order, so that the first error
/// Airflow would raise is the one raised here.
enum AirflowURIParser {
    static let extraKey = "__extra__"

    static func invalidConnectionString(_ uri: String, _ dialect: ConnectionDialect) -> AirflowError {
        // Airflow 3.2+ core leaves the URI out of the message (it may hold a password).
        dialect == .core
            ? AirflowError("AirflowException", "Invalid connection string.")
            : AirflowError("AirflowException", "Invalid connection string: \(uri).")
    }

    /// `_normalize_conn_type` for a string.
    static func normalizeConnType(_ connType: String) -> String {
        if connType == "postgresql" { return "postgres" }
        if connType.utf8.contains(UInt8(ascii: "-")) {
            return String(decoding: connType.utf8.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
        }
        return connType
    }

    static func parse(_ uri: String, dialect: ConnectionDialect) throws -> Connection {
        if let connection = try AirflowURIFastPath.parse(uri, dialect: dialect) { return connection }
        return try parseStepByStep(uri, dialect: dialect)
    }

    /// Airflow's steps one by one, for every URI (the fast path declines the unusual ones).
    static func parseStepByStep(_ uri: String, dialect: ConnectionDialect) throws -> Connection {
        let separatorCount = ByteSearch.count(of: ByteSearch.schemeSeparator, in: uri)
        if separatorCount > 2 { throw invalidConnectionString(uri, dialect) }
        let hostWithProtocol = separatorCount == 2
        let first = try PythonURL.urlsplit(uri)
        let scheme = first.scheme
        var connection = Connection()
        connection.connType = normalizeConnType(scheme)
        // str.replace: every occurrence, case-sensitive (pitfall 4.7-c).
        let pattern = scheme + "://"
        // Splitting `rest` again would give the first split's netloc, path and query whenever
        // nothing is replaced, or the one replacement is the leading "scheme://" (the usual case).
        if !hostWithProtocol && !scheme.isEmpty
            && (separatorCount == 0 || ByteSearch.isLeadingScheme(pattern, in: uri, separatorCount: separatorCount)) {
            return try finish(connection, parts: first, innerProtocol: "", uri: uri, dialect: dialect)
        }
        let rest = ByteSearch.replacingAll(pattern, with: hostWithProtocol ? "" : "//", in: uri)
        if hostWithProtocol {
            let head = ByteSearch.prefix(of: rest, before: ByteSearch.schemeSeparator)
            if head.utf8.contains(UInt8(ascii: "@")) || head.utf8.contains(UInt8(ascii: ":")) {
                throw invalidConnectionString(uri, dialect)
            }
        }
        let parts = rest == uri ? first : try PythonURL.urlsplit(rest)
        return try finish(connection, parts: parts, innerProtocol: hostWithProtocol ? parts.scheme : "", uri: uri, dialect: dialect)
    }

    /// The steps after the second `urlsplit`: host, schema, login, password, port, extra.
    private static func finish(_ connection: Connection, parts: PythonURL.SplitResult, innerProtocol: String,
                               uri: String, dialect: ConnectionDialect) throws -> Connection {
        var connection = connection
        let hostInfo = parts.hostInfo
        var host: String
        if hostInfo.hostname.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "%") && $0 &- 0x41 >= 26 }) {
            host = String(hostInfo.hostname)  // already lower-case, nothing to unquote
        } else {
            host = PythonURL.unquote(PythonURL.SplitResult.hostname(fromRaw: hostInfo.hostname) ?? "")
        }
        if host.utf8.contains(UInt8(ascii: "/")) {
            // _parse_netloc_to_hostname: case-preserving path for hosts holding an encoded '/'.
            var raw = Substring(parts.netloc)
            if let at = raw.utf8.lastIndex(of: UInt8(ascii: "@")) { raw = raw[raw.utf8.index(after: at)...] }
            if let colon = raw.utf8.firstIndex(of: UInt8(ascii: ":")) { raw = raw[..<colon] }
            host = PythonURL.unquote(raw)
        }
        if !host.isEmpty && !innerProtocol.isEmpty { host = innerProtocol + "://" + host }
        connection.host = host
        // path[1:] drops the first code point, whatever it is.
        let quotedSchema = Substring(parts.path.unicodeScalars.dropFirst())
        connection.schema = quotedSchema.isEmpty ? "" : PythonURL.unquote(quotedSchema)
        // userinfo: before the last '@', split at its first ':'.
        if let at = parts.netloc.utf8.lastIndex(of: UInt8(ascii: "@")) {
            let userinfo = parts.netloc[..<at]
            if let colon = userinfo.utf8.firstIndex(of: UInt8(ascii: ":")) {
                let username = userinfo[..<colon], password = userinfo[userinfo.utf8.index(after: colon)...]
                connection.login = username.isEmpty ? "" : PythonURL.unquote(username)
                connection.password = password.isEmpty ? "" : PythonURL.unquote(password)
            } else {
                connection.login = userinfo.isEmpty ? "" : PythonURL.unquote(userinfo)
            }
        }
        // The ORM's password setter ignores a falsy value.
        if dialect != .sdk && connection.password == "" { connection.password = nil }
        connection.port = try PythonURL.SplitResult.port(fromText: hostInfo.port)
        if !parts.query.isEmpty {
            let (extra, isVerbatim) = try extra(fromQuery: parts.query, dialect: dialect)
            connection.extra = extra
            // A dumped dict is always valid; only an `__extra__` value needs checking.
            if dialect == .core && isVerbatim && !extra.isEmpty {
                try AirflowExtraValidation.validate(extra)
            }
        }
        return connection
    }

    /// `dict(parse_qsl(query, keep_blank_values=True))` → `__extra__` verbatim, or `json.dumps`
    /// of the dict (core 3.1+ first JSON-decodes every non-empty value).
    static func extra(fromQuery query: String, dialect: ConnectionDialect) throws -> (text: String, isVerbatim: Bool) {
        let all = PythonURL.parseQSL(query, keepBlankValues: true)
        // dict(pairs): the last value wins, at the key's first position.
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(all.count)
        // Python compares str keys code point by code point (not by canonical equivalence, as
        // Swift's == does): `café` and `cafe\u{301}` are two keys.
        var positions: [[UInt8]: Int]? = all.count > 16 ? [:] : nil
        for (key, value) in all {
            let existing = positions != nil ? positions![Array(key.utf8)] : pairs.firstIndex { $0.0.utf8.elementsEqual(key.utf8) }
            if let existing {
                pairs[existing].1 = value
            } else {
                positions?[Array(key.utf8)] = pairs.count
                pairs.append((key, value))
            }
        }
        if let index = pairs.firstIndex(where: { $0.0.utf8.elementsEqual(extraKey.utf8) }) { return (pairs[index].1, true) }
        var out = "{"
        out.reserveCapacity(query.utf8.count + 6 * pairs.count + 8)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += ", " }
            JSONValue.appendPythonJSONString(pair.0, into: &out)
            out += ": "
            // Core 3.1+ replaces each non-empty value json.loads can decode.
            if dialect == .core, !pair.1.isEmpty, let decoded = try JSONValue.loadsPythonIfDecodable(pair.1) {
                out += decoded.pythonDumps()
            } else {
                JSONValue.appendPythonJSONString(pair.1, into: &out)
            }
        }
        out += "}"
        return (out, false)
    }
}

/// Airflow 3 core's `_validate_extra`: a non-empty `extra` must be a JSON object.
enum AirflowExtraValidation {
    static func validate(_ extra: String) throws {
        // The cheapest builder that still tells a dict: validation keeps no decoded value.
        _ = try validated(extra, building: ExtraQueryPairs.self) {
            if case .dict = $0 { true } else { false }
        }
    }

    /// `validate`, returning the dict it decoded (as `builder` builds it) so that callers need
    /// not decode it again.
    static func validated<Builder: PythonJSONBuilder>(
        _ extra: String, building builder: Builder.Type, isDict: (Builder.Value) -> Bool
    ) throws -> Builder.Value {
        switch JSONValue.loadsPython(extra, building: builder) {
        case .success(let value):
            if isDict(value) { return value }
            throw AirflowError("ValueError",
                               "Encountered JSON value in `extra` which does not parse as a dictionary in connection None. The `extra` field must contain a JSON representation of a Python dict.")
        case .failure(let error) where error.isJSONDecodeError:
            throw AirflowError("ValueError", "Encountered non-JSON in `extra` field for connection None.")
        case .failure(let error):
            throw error
        }
    }
}

/// Byte-level `str.count` / `str.replace` / `str.split(sep, 1)[0]` for ASCII patterns.
enum ByteSearch {
    static let schemeSeparator: [UInt8] = Array("://".utf8)

    /// Whether `text` is C0 controls or spaces, then `pattern` (a "scheme://"), and holds no
    /// other "://" — so that replacing it by "//" leaves what urlsplit already split.
    static func isLeadingScheme(_ pattern: String, in text: String, separatorCount: Int) -> Bool {
        guard separatorCount == 1 else { return false }
        let utf8 = text.utf8
        var i = utf8.startIndex
        while i != utf8.endIndex, utf8[i] <= 0x20 {
            // A tab, CR or LF inside the leading run is removed, not stripped: still leading.
            i = utf8.index(after: i)
        }
        return text[i...].utf8.starts(with: pattern.utf8)
    }

    static func count(of pattern: [UInt8], in text: String) -> Int {
        var total = 0
        var copy = text
        copy.withUTF8 { bytes in
            var i = 0
            let last = bytes.count - pattern.count
            while i <= last {
                if matches(bytes, i, pattern) { total += 1; i += pattern.count } else { i += 1 }
            }
        }
        return total
    }

    /// `item in text` for `str` operands, by bytes (a code point match, as Python's).
    static func contains(_ item: String, in text: String) -> Bool {
        var item = item
        var text = text
        return item.withUTF8 { pattern in text.withUTF8 { containsBytes(pattern, in: $0, within: 0..<$0.count) } }
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ pattern: [UInt8]) -> Bool {
        for k in 0..<pattern.count where bytes[i + k] != pattern[k] { return false }
        return true
    }

    static func replacingAll(_ target: String, with replacement: String, in text: String) -> String {
        let pattern = Array(target.utf8)
        var copy = text
        return copy.withUTF8 { bytes -> String in
            var out: [UInt8]?
            var i = 0
            var copiedUpTo = 0
            let last = bytes.count - pattern.count
            while i <= last {
                if matches(bytes, i, pattern) {
                    if out == nil { out = []; out!.reserveCapacity(bytes.count + 2) }
                    out!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<i]))
                    out!.append(contentsOf: replacement.utf8)
                    i += pattern.count
                    copiedUpTo = i
                } else {
                    i += 1
                }
            }
            guard var result = out else { return text }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo...]))
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// The text before the first occurrence of `pattern`, or all of it.
    static func prefix(of text: String, before pattern: [UInt8]) -> Substring {
        let utf8 = text.utf8
        var i = utf8.startIndex
        while i != utf8.endIndex {
            var j = i
            var k = 0
            while k < pattern.count, j != utf8.endIndex, utf8[j] == pattern[k] {
                j = utf8.index(after: j)
                k += 1
            }
            if k == pattern.count { return text[..<i] }
            i = utf8.index(after: i)
        }
        return text[...]
    }
}
