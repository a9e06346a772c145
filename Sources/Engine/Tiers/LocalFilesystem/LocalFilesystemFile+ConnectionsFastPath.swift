import Foundation
import PythonCompat

extension LocalFilesystemFile {
    /// The connections of a JSON connections file in the common shape, read straight from its
    /// bytes, or `nil` when anything in the file is unusual.
    ///
    /// The common shape is an object with ASCII keys free of escapes, whose values are URIs
    /// (strings the URI parser accepts, parsed by the same parser as the general path) or
    /// objects whose members are among `conn_type`, `host`, `login`, `password`, `schema`,
    /// `description` (a string or null), `port` (an integer that fits an `Int`, or null),
    /// `conn_id` (the entry's own key) and `extra` (null, a string that holds a JSON object, or
    /// a non-empty object of strings, integers, booleans and nulls under ASCII names). Strings
    /// with escapes are decoded by `json.loads`'s own string scanner. For such a file the result
    /// is exactly what the general path (`json.loads` into Python values, then
    /// `_create_connection`) builds, without building the Python values. Anything else —
    /// control characters, non-ASCII or escaped keys, floats, nested containers, duplicate keys,
    /// `uri` members, `extra_dejson`, `team_name`, unknown keys, an empty file or object, any
    /// syntax error — makes it decline, so every error and every unusual case still comes from
    /// the general path.
    static func fastConnections(json text: String, dialect: ConnectionDialect) -> [LocalFileConnection]? {
        var connections: [LocalFileConnection] = []
        connections.reserveCapacity(min(text.utf8.count / 32 + 1, 1 << 20))
        let taken = forEachFastConnection(json: text, dialect: dialect) { key, connection, line, passesSanitising in
            connections.append(LocalFileConnection(key: .string(key), connection: connection,
                                                   connID: passesSanitising ? key : nil, line: line))
        }
        return taken ? connections : nil
    }

    /// The fast path handing each connection (its key, the connection, the key's 1-based line
    /// and whether the key passes `sanitize_conn_id`, i.e. is the object's `conn_id`) to `body`
    /// in file order, so a caller can build its own records without an intermediate list.
    /// Returns `false` when the file is not of the common shape; `body` may then have seen some
    /// entries already, which the caller discards.
    static func forEachFastConnection(
        json text: String, dialect: ConnectionDialect,
        _ body: (_ key: String, _ connection: consuming Connection, _ line: Int, _ passesSanitising: Bool) -> Void
    ) -> Bool {
        forEachFastConnectionEntry(json: text, dialect: dialect) { entry, connection in
            body(String(decoding: UnsafeBufferPointer(rebasing: entry.bytes[entry.keyRange]), as: UTF8.self),
                 connection, entry.line, entry.passesSanitising)
        }
    }

    /// Where one connection of the fast path sits in the file's bytes.
    struct FastConnectionEntry {
        let bytes: UnsafeBufferPointer<UInt8>
        /// The key's bytes (ASCII, no escapes).
        let keyRange: Range<Int>
        /// Where the value starts: its opening quote (a URI) or brace (an object).
        let valueStart: Int
        /// The key's 1-based line.
        let line: Int
        /// Whether the key passes `sanitize_conn_id`, i.e. is the object's `conn_id`.
        let passesSanitising: Bool
    }

    /// The fast path handing each entry's position and connection to `body`; `false` (and
    /// partial calls to discard) when the file is not of the common shape.
    static func forEachFastConnectionEntry(json text: String, dialect: ConnectionDialect,
                                           _ body: (FastConnectionEntry, consuming Connection) -> Void) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // As in `loadConnections`: Airflow 3 parses these URIs with the core parser, even on workers.
            var scanner = FastConnectionScanner(bytes: bytes, uriDialect: dialect == .sdk ? .core : dialect)
            return scanner.document(body)
        }
    }

    /// The connection of one entry the fast path took, read again from `valueStart` (see
    /// `FastConnectionEntry`): exactly what it gave the first time.
    static func fastConnection(in bytes: UnsafeBufferPointer<UInt8>, valueStart: Int, keyRange: Range<Int>,
                               dialect: ConnectionDialect) -> Connection? {
        var scanner = FastConnectionScanner(bytes: bytes, uriDialect: dialect == .sdk ? .core : dialect, keysCapacity: 0)
        return scanner.value(at: valueStart, keyRange: keyRange)
    }
}

/// The byte scanner behind `LocalFilesystemFile.fastConnections(json:)`. Every method returns
/// `nil` (declines) at the first thing outside the common shape.
private struct FastConnectionScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private var cursor: JSONByteCursor
    private var index: Int {
        get { cursor.index }
        set { cursor.index = newValue }
    }
    /// The 1-based line of `index`.
    private var line: Int { cursor.line }
    /// Reused for each `extra` as it is spelled by `json.dumps`.
    private var dumped: [UInt8] = []
    /// Reused for the member names of each `extra`.
    private var extraNames: [Range<Int>] = []
    /// The top-level keys seen so far, to decline on a duplicate.
    private var keys: ByteRangeIndex

    /// The dialect `Connection(uri=…)` parses with.
    let uriDialect: ConnectionDialect

    init(bytes: UnsafeBufferPointer<UInt8>, uriDialect: ConnectionDialect, keysCapacity: Int = 512) {
        self.bytes = bytes
        cursor = JSONByteCursor(bytes)
        self.uriDialect = uriDialect
        keys = ByteRangeIndex(capacity: keysCapacity)
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":")

    mutating func document(_ body: (LocalFilesystemFile.FastConnectionEntry, consuming Connection) -> Void) -> Bool {
        skipWhitespace()
        guard consume(Self.openBrace) else { return false }
        skipWhitespace()
        // An empty object is cheap for the general path: leave it the edge cases.
        guard peek() == Self.quote else { return false }
        while true {
            let keyLine = line
            guard let keyRange = keyString(), keys.insert(keyRange, of: bytes).inserted else { return false }
            skipWhitespace()
            guard consume(Self.colon) else { return false }
            skipWhitespace()
            let valueStart = index
            guard let connection = value(at: valueStart, keyRange: keyRange) else { return false }
            body(LocalFilesystemFile.FastConnectionEntry(bytes: bytes, keyRange: keyRange, valueStart: valueStart, line: keyLine,
                                                         passesSanitising: passesSanitising(keyRange)),
                 connection)
            skipWhitespace()
            if consume(Self.comma) {
                skipWhitespace()
                continue
            }
            guard consume(Self.closeBrace) else { return false }
            break
        }
        skipWhitespace()
        return index == bytes.count
    }

    /// The connection whose value starts at `start`: a URI string or an object.
    mutating func value(at start: Int, keyRange: Range<Int>) -> Connection? {
        index = start
        if peek() == Self.quote {
            // `Connection(uri=value)`; an empty (falsy) URI or one the parser refuses is the
            // general path's to report.
            guard let uri = stringValue(), !uri.isEmpty,
                  let parsed = try? ConnectionCodecBridge.parse(uri: uri, dialect: uriDialect) else {
                return nil
            }
            return parsed
        }
        return connectionObject(keyRange: keyRange)
    }

    /// Airflow 3's `sanitize_conn_id` for an ASCII key: 1 to 250 characters of `[A-Za-z0-9_#!()\-.:/\\]`
    /// (`LocalFilesystemFile.sanitizedConnID` without building anything).
    private func passesSanitising(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, range.count <= 250 else { return false }
        for k in range where !LocalFilesystemFile.isASCIIConnIDByte(bytes[k]) { return false }
        return true
    }

    // MARK: One connection

    /// The members a connection object may have in the common shape.
    private enum Member: Int {
        case connType, host, login, password, schema, description, port, extra, connID

        init?(_ name: UnsafeBufferPointer<UInt8>) {
            func equals(_ word: StaticString) -> Bool {
                word.utf8CodeUnitCount == name.count && memcmp(word.utf8Start, name.baseAddress!, name.count) == 0
            }
            switch name.first {
            case UInt8(ascii: "c"):
                if equals("conn_type") { self = .connType } else if equals("conn_id") { self = .connID } else { return nil }
            case UInt8(ascii: "h") where equals("host"): self = .host
            case UInt8(ascii: "l") where equals("login"): self = .login
            case UInt8(ascii: "p"):
                if equals("port") { self = .port } else if equals("password") { self = .password } else { return nil }
            case UInt8(ascii: "s") where equals("schema"): self = .schema
            case UInt8(ascii: "d") where equals("description"): self = .description
            case UInt8(ascii: "e") where equals("extra"): self = .extra
            default: return nil
            }
        }
    }

    /// `Connection(**value)` for an object of the common shape, as `constructConnection` builds it.
    private mutating func connectionObject(keyRange: Range<Int>) -> Connection? {
        guard consume(Self.openBrace) else { return nil }
        skipWhitespace()
        var connection = Connection()
        if consume(Self.closeBrace) { return connection }
        var seen: UInt16 = 0
        while true {
            guard let nameRange = keyString(),
                  let member = Member(UnsafeBufferPointer(rebasing: bytes[nameRange])) else { return nil }
            let bit: UInt16 = 1 << member.rawValue
            guard seen & bit == 0 else { return nil }
            seen |= bit
            skipWhitespace()
            guard consume(Self.colon) else { return nil }
            skipWhitespace()
            switch member {
            case .port:
                if !consumeNull() {
                    guard let digits = integer(), digits.count <= 18,
                          let port = Int(string(digits)) else { return nil }
                    connection.port = port
                }
            case .extra:
                if peek() == Self.quote {
                    // A string is stored as it is, once Airflow 3 has checked it holds a JSON object.
                    guard let text = stringValue() else { return nil }
                    if !text.isEmpty, uriDialect != .airflow2 {
                        guard case .dict? = try? PythonJSON.loads(text).value else { return nil }
                    }
                    connection.extra = text
                } else if !consumeNull() {
                    guard let extra = extraObject() else { return nil }
                    connection.extra = extra
                }
            case .connID:
                // Only the entry's own key passes the `conn_id` check unremarked.
                guard let given = plainString(),
                      given.count == keyRange.count,
                      memcmp(bytes.baseAddress! + given.lowerBound, bytes.baseAddress! + keyRange.lowerBound,
                             given.count) == 0 else { return nil }
            default:
                var text: String?
                if !consumeNull() {
                    guard let value = stringValue() else { return nil }
                    text = value
                }
                switch member {
                case .connType: connection.connType = text
                case .host: connection.host = text
                case .login: connection.login = text
                case .schema: connection.schema = text
                case .description: connection.description = text
                // The password setter stores only a truthy value.
                case .password: connection.password = text?.isEmpty == false ? text : nil
                default: return nil
                }
            }
            skipWhitespace()
            if consume(Self.comma) {
                skipWhitespace()
                continue
            }
            guard consume(Self.closeBrace) else { return nil }
            return connection
        }
    }

    /// A non-empty `extra` object of scalars, spelled as Python's `json.dumps` spells the dict.
    private mutating func extraObject() -> String? {
        guard consume(Self.openBrace) else { return nil }
        skipWhitespace()
        // `{}` is falsy and stored as it is, not dumped: the general path's case.
        guard peek() == Self.quote else { return nil }
        dumped.removeAll(keepingCapacity: true)
        dumped.append(Self.openBrace)
        extraNames.removeAll(keepingCapacity: true)
        while true {
            guard let nameRange = keyString() else { return nil }
            // Duplicate names: Python keeps the first position with the last value.
            for earlier in extraNames where earlier.count == nameRange.count {
                if memcmp(bytes.baseAddress! + earlier.lowerBound, bytes.baseAddress! + nameRange.lowerBound,
                          earlier.count) == 0 { return nil }
            }
            guard extraNames.count < 64 else { return nil }
            extraNames.append(nameRange)
            if extraNames.count > 1 { dumped.append(Self.comma); dumped.append(0x20) }
            guard appendDumpedString(nameRange) else { return nil }
            dumped.append(Self.colon)
            dumped.append(0x20)
            skipWhitespace()
            guard consume(Self.colon) else { return nil }
            skipWhitespace()
            switch peek() {
            case Self.quote:
                let start = index, mark = dumped.count
                if let range = plainString(), appendDumpedString(range) { break }
                // Escapes or non-ASCII: decoded as `json.loads` does, spelled as `json.dumps` does.
                index = start
                dumped.removeSubrange(mark...)
                guard let text = stringValue() else { return nil }
                var spelled = ""
                PythonValue.appendJSONString(text, into: &spelled)
                dumped.append(contentsOf: spelled.utf8)
            case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "f"):
                let start = index
                guard consume(word: "null") || consume(word: "true") || consume(word: "false") else { return nil }
                dumped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            default:
                // An integer is dumped as it was written (`-0` reads back as `0`: left to the general path).
                guard let digits = integer(), digits.count <= 300 else { return nil }
                if digits.count == 2, bytes[digits.lowerBound] == UInt8(ascii: "-"),
                   bytes[digits.lowerBound + 1] == UInt8(ascii: "0") { return nil }
                dumped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[digits]))
            }
            skipWhitespace()
            if consume(Self.comma) {
                skipWhitespace()
                continue
            }
            guard consume(Self.closeBrace) else { return nil }
            dumped.append(Self.closeBrace)
            return String(decoding: dumped, as: UTF8.self)
        }
    }

    /// A string with `ensure_ascii` escaping; only printable ASCII is taken (anything else declines).
    private mutating func appendDumpedString(_ range: Range<Int>) -> Bool {
        dumped.append(Self.quote)
        for k in range {
            let byte = bytes[k]
            // `"` and `\` cannot occur (escapes decline); 0x7F and non-ASCII would need `\u` escapes.
            guard byte >= 0x20, byte < 0x7F else { return false }
            dumped.append(byte)
        }
        dumped.append(Self.quote)
        return true
    }

    // MARK: Tokens (JSONByteCursor's)

    private func peek() -> UInt8? { cursor.peek() }
    private mutating func consume(_ byte: UInt8) -> Bool { cursor.consume(byte) }
    private mutating func consume(word: StaticString) -> Bool { cursor.consume(word: word) }
    private mutating func consumeNull() -> Bool { cursor.consume(word: "null") }
    private mutating func skipWhitespace() { cursor.skipWhitespace() }
    private mutating func plainString() -> Range<Int>? { cursor.plainString() }
    /// A plain string of ASCII only, as keys must be here (so that key equality is byte equality).
    private mutating func keyString() -> Range<Int>? { cursor.plainString(asciiOnly: true) }
    private mutating func integer() -> Range<Int>? { cursor.integer() }

    /// A string value as `json.loads` decodes it; `nil` on a control character or a bad escape.
    private mutating func stringValue() -> String? {
        guard let (range, escaped) = cursor.string() else { return nil }
        return escaped ? PythonJSON.string(in: bytes, quoteAt: range.lowerBound)?.text : string(range)
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
