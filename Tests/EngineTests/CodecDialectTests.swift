@testable import Engine
@testable import PythonCompat
import Testing

/// Behaviour the fixture corpus (recorded from Airflow 3 only) does not cover: Airflow 2.10's
/// parser (spec §4.4–4.6, "2.10.5" column), `as_json()`, and the stored-value entry point.
@Suite("Connection codec: Airflow 2, as_json and stored values")
struct CodecDialectTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var uri: String
        var connType: String?
        var host: String?
        var login: String?
        var password: String?
        var schema: String?
        var port: Int?
        var extra: String?
        var generated: String
        var testDescription: String { uri }
    }

    /// Spec §4.4 rows whose 2.10.5 behaviour differs from Airflow 3 core or is stated explicitly.
    static let airflow2Rows: [Row] = [
        Row(uri: "scheme://user:password@host%2Flocation:1234/schema?__extra__=single+value",
            connType: "scheme", host: "host/location", login: "user", password: "password", schema: "schema", port: 1234,
            extra: "single value",
            generated: "scheme://user:password@host%2Flocation:1234/schema?__extra__=single+value"),
        Row(uri: "scheme://user:password@host%2Flocation:1234/schema?__extra__=%5B%22list%22%2C+%22of%22%2C+%22values%22%5D",
            connType: "scheme", host: "host/location", login: "user", password: "password", schema: "schema", port: 1234,
            extra: "[\"list\", \"of\", \"values\"]",
            generated: "scheme://user:password@host%2Flocation:1234/schema?__extra__=%5B%22list%22%2C+%22of%22%2C+%22values%22%5D"),
        Row(uri: "scheme://host/schema?valid_json=%7B%22key%22%3A%22val%22%7D&invalid_json=just_a_string&empty_val=",
            connType: "scheme", host: "host", schema: "schema",
            extra: "{\"valid_json\": \"{\\\"key\\\":\\\"val\\\"}\", \"invalid_json\": \"just_a_string\", \"empty_val\": \"\"}",
            generated: "scheme://host/schema?valid_json=%7B%22key%22%3A%22val%22%7D&invalid_json=just_a_string&empty_val="),
        Row(uri: "http://user:@host:80/database",
            connType: "http", host: "host", login: "user", password: nil, schema: "database", port: 80,
            generated: "http://user@host:80/database"),
        Row(uri: "mysql://user:p%40ss@host/db?a=1&a=2",
            connType: "mysql", host: "host", login: "user", password: "p@ss", schema: "db", extra: "{\"a\": \"2\"}",
            generated: "mysql://user:p%40ss@host/db?a=2"),
        Row(uri: "scheme://host?x=1&y=true&z=null",
            connType: "scheme", host: "host", schema: "", extra: "{\"x\": \"1\", \"y\": \"true\", \"z\": \"null\"}",
            generated: "scheme://host/?x=1&y=true&z=null"),
        Row(uri: "http://http%3A%2F%2Fexample.com",
            connType: "http", host: "http://example.com", schema: "", generated: "http://http://example.com"),
        Row(uri: "http://https%3A%2F%2Fexample.com:8080/path",
            connType: "http", host: "https://example.com", schema: "path", port: 8080,
            generated: "http://https://example.com:8080/path"),
        Row(uri: "spark://k8s%3a%2F%2F100.68.0.1:443?deploy-mode=cluster",
            connType: "spark", host: "k8s://100.68.0.1", schema: "", port: 443, extra: "{\"deploy-mode\": \"cluster\"}",
            generated: "spark://k8s://100.68.0.1:443/?deploy-mode=cluster"),
        Row(uri: "type://protocol://user:pass@host:123?param=value",
            connType: "type", host: "protocol://host", login: "user", password: "pass", schema: "", port: 123,
            extra: "{\"param\": \"value\"}", generated: "type://protocol://user:pass@host:123/?param=value"),
        Row(uri: "MySQL://User:Pass@MyHost.Example.COM:3306/DB",
            connType: "mysql", host: "myhost.example.com", login: "User", password: "Pass", schema: "DB", port: 3306,
            generated: "mysql://User:Pass@myhost.example.com:3306/DB"),
        Row(uri: "my-conn-type://my-login:my-password@my-host:5432/my-schema?param1=val1&param2=val2",
            connType: "my_conn_type", host: "my-host", login: "my-login", password: "my-password", schema: "my-schema",
            port: 5432, extra: "{\"param1\": \"val1\", \"param2\": \"val2\"}",
            generated: "my-conn-type://my-login:my-password@my-host:5432/my-schema?param1=val1&param2=val2"),
        Row(uri: "x://u:a+b@h?q=a+b&r=%2B",
            connType: "x", host: "h", login: "u", password: "a+b", schema: "", extra: "{\"q\": \"a b\", \"r\": \"+\"}",
            generated: "x://u:a%2Bb@h/?q=a+b&r=%2B"),
        Row(uri: "x://h?__extra__=%7B%7D", connType: "x", host: "h", schema: "", extra: "{}",
            generated: "x://h/?__extra__=%7B%7D"),
        Row(uri: "x_y://h", connType: "", host: "", schema: "_y//h", generated: "///_y%2F%2Fh"),
        Row(uri: "//abc", connType: "", host: "abc", schema: "", generated: "//abc"),
    ]

    @Test("Airflow 2.10 parses and regenerates as the spec states", arguments: airflow2Rows)
    func airflow2(_ row: Row) throws {
        let connection = try Connection.parse(uri: row.uri, dialect: .airflow2)
        #expect(connection.connType == row.connType)
        #expect(connection.host == row.host)
        #expect(connection.login == row.login)
        #expect(connection.password == row.password, "password differs")
        #expect(connection.schema == row.schema)
        #expect(connection.port == row.port)
        #expect(connection.extra == row.extra)
        #expect(try connection.uri(dialect: .airflow2) == row.generated)
    }

    @Test func airflow2KeepsTheURIInInvalidConnectionStringErrors() {
        for uri in ["type://user:pass@protocol://host:port?param=value", "a://b://c://d"] {
            #expect(throws: AirflowError("AirflowException", "Invalid connection string: \(uri).")) {
                try Connection.parse(uri: uri, dialect: .airflow2)
            }
            #expect(throws: AirflowError("AirflowException", "Invalid connection string.")) {
                try Connection.parse(uri: uri, dialect: .core)
            }
        }
    }

    @Test func airflow2DoesNotKeepAHostWholeWhenItsProtocolIsTheType() throws {
        let connection = Connection(connType: "http", host: "http://host")
        #expect(try connection.uri(dialect: .airflow2) == "http://http://host")
        #expect(try connection.uri(dialect: .core) == "http://http%3A%2F%2Fhost")
        #expect(try connection.uri(dialect: .sdk) == "http://http%3A%2F%2Fhost")
    }

    @Test func airflow2AcceptsJSONFormExtrasThatAreNotObjects() throws {
        let connection = try Connection.parse(json: "{\"conn_type\": \"x\", \"extra\": \"[1, 2]\"}", dialect: .airflow2)
        #expect(connection.extra == "[1, 2]")
        #expect(try connection.uri(dialect: .airflow2) == "x:///?__extra__=%5B1%2C+2%5D")
        #expect(throws: AirflowError("TypeError", "__init__() got an unexpected keyword argument 'team_name'")) {
            try Connection.parse(json: "{\"conn_type\": \"x\", \"team_name\": \"t\"}", dialect: .airflow2)
        }
    }

    @Test func emptyPasswordAndEmptyURI() throws {
        let empty = try Connection.parse(json: "{\"conn_type\": \"foo\", \"login\": \"\", \"password\": \"\"}", dialect: .airflow2)
        #expect(empty.password == nil)
        #expect(try empty.uri(dialect: .airflow2) == "foo://")
        #expect(try Connection.parse(uri: "", dialect: .airflow2) == Connection())
    }

    // MARK: as_json

    @Test func asJSONFollowsToDictPruneEmpty() throws {
        #expect(try Connection().jsonText(dialect: .core) == "{}")
        #expect(try Connection.parse(uri: "aws://", dialect: .core).jsonText(dialect: .core)
                == "{\"conn_type\": \"aws\", \"host\": \"\", \"schema\": \"\"}")
        let credentials = Connection(connType: "foo", login: "", password: "p@$$")
        #expect(try credentials.jsonText(dialect: .sdk) == "{\"conn_type\": \"foo\", \"login\": \"\", \"password\": \"p@$$\"}")
        let full = try Connection.parse(uri: "postgres://u:p@h:5432/db?a=1&b=x", dialect: .core)
        #expect(try full.jsonText(dialect: .core)
                == "{\"conn_type\": \"postgres\", \"host\": \"h\", \"login\": \"u\", \"password\": \"p\", \"schema\": \"db\", \"port\": 5432, \"extra\": {\"a\": 1, \"b\": \"x\"}}")
    }

    @Test func asJSONOfOddlyTypedFieldsMatchesAirflow() throws {
        // Recorded from Airflow 3.3.2: lists are pruned of None, non-dict extras kept by the SDK.
        let odd = try Connection.parse(json: "{\"description\": 5, \"schema\": [null, {\"a\": null}]}", dialect: .sdk)
        #expect(try odd.jsonText(dialect: .sdk) == "{\"description\": 5, \"schema\": [{}]}")
        #expect(throws: AirflowError("TypeError", "quote_from_bytes() expected bytes")) { try odd.uri(dialect: .sdk) }
        let listExtra = try Connection.parse(json: "{\"extra\": [1]}", dialect: .sdk)
        #expect(try listExtra.jsonText(dialect: .sdk) == "{\"extra\": [1]}")
        let notJSON = Connection(connType: "x", extra: "not json")
        #expect(try notJSON.jsonText(dialect: .sdk) == "{\"conn_type\": \"x\"}")
        #expect(throws: AirflowError("ValueError", "Encountered non-JSON in `extra` field for connection None.")) {
            try notJSON.jsonText(dialect: .core)
        }
    }

    @Test func hugeJSONPortsStayExact() throws {
        let connection = try Connection.parse(json: "{\"port\": 1e300}", dialect: .core)
        let exact = "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"
        #expect(connection.port == nil)
        #expect(connection.verbatim["port"] == .integer(exact))
        #expect(try connection.uri(dialect: .core) == "//@:" + exact)
        #expect(try connection.jsonText(dialect: .core) == "{\"port\": \(exact)}")
        let twenty = try Connection.parse(json: "{\"port\": \"99999999999999999999\"}", dialect: .sdk)
        #expect(twenty.verbatim["port"] == .integer("99999999999999999999"))
    }

    @Test func nonStringJSONValuesRaiseWhatAirflowRaises() {
        #expect(throws: AirflowError("TypeError", "encoding without a string argument")) {
            try Connection.parse(json: "{\"password\": 5}", dialect: .core)
        }
        #expect(throws: AirflowError("AttributeError", "'int' object has no attribute 'count'")) {
            try Connection.parse(json: "{\"uri\": 5}", dialect: .sdk)
        }
        #expect(throws: AirflowError("TypeError", "unhashable type: 'list'")) {
            try Connection.parse(json: "{\"uri\": [1]}", dialect: .core)
        }
        #expect(throws: AirflowError("AttributeError", "'list' object has no attribute 'replace'")) {
            try Connection.parse(json: "{\"conn_type\": [\"-\"]}", dialect: .core)
        }
        #expect(throws: AirflowError("TypeError", "__init__() got an unexpected keyword argument 'foo'")) {
            try Connection.parse(json: "{\"uri\": \"x://h\", \"foo\": 1}", dialect: .core)
        }
    }

    // MARK: stored values

    @Test func storedValuesAreStrippedAndDispatchedOnTheirFirstCharacter() throws {
        let fromURI = try Connection.parse(storedValue: "\u{A0}\u{3000} postgres://u@h/db \n", dialect: .core)
        #expect(fromURI.connType == "postgres")
        #expect(fromURI.schema == "db")
        let fromJSON = try Connection.parse(storedValue: "\n {\"conn_type\": \"x\", \"host\": \"h\"}\t", dialect: .sdk)
        #expect(fromJSON.host == "h")
        #expect(fromJSON.schema == nil, "JSON form leaves missing fields None")
        #expect(throws: AirflowError("IndexError", "string index out of range")) {
            try Connection.parse(storedValue: " \u{1F}\u{85} ", dialect: .core)
        }
        // A BOM is not whitespace to str.strip(), so this is a URI (without a scheme).
        let bom = try Connection.parse(storedValue: "\u{FEFF}{\"a\": 1}", dialect: .core)
        #expect(bom.connType == "")
    }

    @Test func extraJSONFollowsExtraDejson() throws {
        #expect(Connection().extraJSON == nil)
        #expect(Connection(extra: "").extraJSON == nil)
        if case .object(let object)? = Connection(extra: "{\"a\": [1, NaN]}").extraJSON,
           case .array(let items)? = object["a"], items.count == 2, case .float(let nan) = items[1] {
            #expect(nan.isNaN)
        } else {
            Issue.record("NaN inside extra is not decoded as a float")
        }
        #expect(Connection(extra: "{\"a\": 1}").extraJSON == .object(JSONObject([("a", .integer("1"))])))
        #expect(Connection(extra: "not json").extraJSON == .object(JSONObject()))
        #expect(Connection(extra: "[1]").extraJSON == .array([.integer("1")]))
        var verbatim = Connection()
        verbatim.verbatim["extra"] = .object(JSONObject([("k", .string("v"))]))
        #expect(verbatim.extraJSON == .object(JSONObject([("k", .string("v"))])))
    }
}
