/// `Connection(uri=…)` (Airflow 2 and Airflow 3 core) and `Connection.from_uri` (Task SDK).
extension Connection {
    /// Connection(uri=…) for .airflow2/.core, Connection.from_uri for .sdk. Throws `AirflowError`.
    public static func parse(uri: String, dialect: ConnectionDialect) throws -> Connection {
        // The ORM constructor only parses a truthy uri; the SDK's from_uri parses "" too.
        if uri.isEmpty && dialect != .sdk { return Connection() }
        return try AirflowURIParser.parse(uri, dialect: dialect)
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
        let separatorCount = ByteSearch.count(of: ByteSearch.schemeSeparator, in: uri)
        if separatorCount > 2 { throw invalidConnectionString(uri, dialect) }
        let hostWithProtocol = separatorCount == 2
        let scheme = try PythonURL.urlsplit(uri).scheme
        var connection = Connection()
        connection.connType = normalizeConnType(scheme)
        // str.replace: every occurrence, case-sensitive (pitfall 4.7-c).
        let rest = ByteSearch.replacingAll(scheme + "://", with: hostWithProtocol ? "" : "//", in: uri)
        if hostWithProtocol {
            let head = ByteSearch.prefix(of: rest, before: ByteSearch.schemeSeparator)
            if head.utf8.contains(UInt8(ascii: "@")) || head.utf8.contains(UInt8(ascii: ":")) {
                throw invalidConnectionString(uri, dialect)
            }
        }
        let parts = try PythonURL.urlsplit(rest)
        let innerProtocol = hostWithProtocol ? parts.scheme : ""
        var host = PythonURL.unquote(parts.hostname ?? "")
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
        let username = parts.username
        connection.login = (username?.isEmpty ?? true) ? username : PythonURL.unquote(username!)
        let password = parts.password
        connection.password = (password?.isEmpty ?? true) ? password : PythonURL.unquote(password!)
        // The ORM's password setter ignores a falsy value.
        if dialect != .sdk && connection.password == "" { connection.password = nil }
        connection.port = try parts.port()
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
        let pairs = PythonURL.parseQSL(query, keepBlankValues: true)
        var object = JSONObject()
        var extraValue: String?
        for (key, value) in pairs {
            object[key] = .string(value)
            if key == extraKey { extraValue = value }
        }
        if let extraValue { return (extraValue, true) }
        if dialect == .core {
            for key in object.keys {
                guard case .string(let text)? = object[key], !text.isEmpty else { continue }
                switch JSONValue.loadsPython(text) {
                case .success(let decoded): object[key] = decoded
                case .failure(let error) where error.isJSONDecodeError: continue
                case .failure(let error): throw error
                }
            }
        }
        return (JSONValue.object(object).pythonDumps(), false)
    }
}

/// Airflow 3 core's `_validate_extra`: a non-empty `extra` must be a JSON object.
enum AirflowExtraValidation {
    static func validate(_ extra: String) throws {
        switch JSONValue.loadsPython(extra) {
        case .success(.object): return
        case .success:
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
