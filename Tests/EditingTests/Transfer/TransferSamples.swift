import Engine
@testable import Editing

/// Connections and variables chosen to break a careless export: JSON-looking and YAML-looking
/// text, empty values, descriptions, unicode, line breaks, `=` and `#`, ids with dots and dashes.
/// The secrets are made up.
enum TransferSamples {
    static let connections: [(String, Connection)] = [
        ("pg_full", Connection(connType: "postgres", host: "db.example.com", login: "user", password: "p@ss:w/rd?#",
                               schema: "analytics", port: 5432,
                               extra: #"{"b": 1,  "a": [1, {"x": null}], "s": "é\n", "f": 1.50}"#,
                               description: "Main DB — ünïcödé\nsecond line")),
        ("empty_fields", Connection(connType: "http", host: "", login: "", password: "", schema: "", description: "")),
        ("odd.id-with_chars", Connection(connType: "aws", extra: #"{"region_name": "eu-west-1", "nested": {"k": [true, false, 1.5]}}"#)),
        ("unicode_conn", Connection(connType: "http", host: "ünïcode.example", login: "user name", password: "пароль#=?&")),
        ("no_type", Connection(host: "h.example", port: 8080)),
        ("env_hash", Connection(connType: "sqlite", host: "/tmp/a b#c=d.db")),
    ]

    static let variables: [(String, String, String?)] = [
        ("json_like", #"{"b":2,  "a":[1]}"#, nil),
        ("empty", "", nil),
        ("described", "text", "A description"),
        ("unicode_nl", "line1\nline2 ✓ 🚀", nil),
        ("env_chars", "a=b#c # not a comment", nil),
        ("number_like", "007", nil),
        ("yes", "yes", nil),
        ("null_text", "null", nil),
        ("value_dict_like", #"{"value": "x", "description": "y"}"#, nil),
        ("spaces", "  leading and trailing  ", nil),
        ("empty_desc", "v", ""),
        ("tab\tkey", "tabbed\tvalue", "desc\twith tab"),
    ]

    static var items: CopyItems {
        var items = CopyItems()
        for (id, connection) in connections {
            items.items.append(CopyItem(key: .connection(id), value: .connection(connection), origin: "samples"))
        }
        for (id, text, description) in variables {
            items.items.append(CopyItem(key: .variable(id), value: .variable(text, description: description), origin: "samples"))
        }
        return items
    }

    /// The sample under `key`.
    static func value(of key: SecretKey) -> EditValue? {
        items.items.first { $0.key == key }?.value
    }

    /// The fields in which two values differ (names only: the values are secrets).
    static func differingFields(_ a: EditValue, _ b: EditValue) -> [String] {
        TransferComparison.differingFields(a, b)
    }
}
