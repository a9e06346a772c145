import Foundation
import PythonCompat
import Engine

/// How `SecretsManagerBackend.get_conn_value` turns a JSON secret into a connection: each
/// connection field takes the value of the secret's first key (in the secret's own order)
/// found in that field's word list; other keys are dropped; the result is `json.dumps`-ed and
/// parsed with `Connection.from_json`. Non-JSON secrets are URIs.
public struct SecretsManagerConnectionMapping: Sendable {
    /// Fields in the order the provider builds them.
    public static let fieldOrder = ["login", "password", "host", "port", "schema", "conn_type", "extra"]

    /// The provider's default word lists.
    public static let defaultWords: [String: [String]] = [
        "login": ["login", "user", "username", "user_name"],
        "password": ["password", "pass", "key"],
        "host": ["host", "remote_host", "server"],
        "port": ["port"],
        "schema": ["database", "schema"],
        "conn_type": ["conn_type", "conn_id", "connection_type", "engine"],
        "extra": ["extra"],
    ]

    /// Word lists after `extra_conn_words` were appended.
    public let words: [String: [String]]
    /// amazon provider 8.x `are_secret_values_urlencoded=True`: URL-unquote every mapped value
    /// except an object `extra`.
    public let unquoteValues: Bool

    public init(extraConnWords: [(field: String, words: [String])] = [], unquoteValues: Bool = false) {
        var words = Self.defaultWords
        for (field, extra) in extraConnWords { words[field == "user" ? "login" : field, default: []].append(contentsOf: extra) }
        self.words = words
        self.unquoteValues = unquoteValues
    }

    /// The text `get_conn_value` hands to `get_connection`: JSON secrets re-keyed and dumped,
    /// anything else unchanged. Throws `AirflowError` where the provider raises.
    public func connectionValue(fromSecret text: String) throws -> String {
        guard text.pythonStripped.hasPrefix("{") else { return text }
        let document = try JSONValue.parsePython(text)
        guard case .object(let secret) = document else {
            throw AirflowError("AttributeError", "'\(document.pythonTypeName)' object has no attribute 'items'")
        }
        var mapped = JSONObject()
        for field in Self.fieldOrder {
            let candidates = words[field] ?? []
            let hit = secret.first { candidates.contains($0.key) }?.value
            mapped[field] = hit ?? .null
        }
        if unquoteValues {
            for field in Self.fieldOrder {
                guard let value = mapped[field], value != .null else { continue }
                if field == "extra", case .object = value { continue }
                guard case .string(let s) = value else {
                    throw AirflowError("TypeError", "argument of type '\(value.pythonTypeName)' is not iterable")
                }
                mapped[field] = .string(Self.pythonUnquote(s))
            }
        }
        return JSONValue.object(mapped).pythonDumps()
    }

    /// The connection Airflow reads from a stored Secrets Manager value.
    public func connection(fromSecret text: String, dialect: ConnectionDialect) throws -> Connection {
        try Connection.parse(storedValue: try connectionValue(fromSecret: text), dialect: dialect)
    }

    /// `urllib.parse.unquote`: `%XX` sequences decoded as UTF-8 (invalid bytes replaced), others kept.
    static func pythonUnquote(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        func hexValue(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let h = hexValue(utf8[i + 1]), let l = hexValue(utf8[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
