import PythonCompat
/// A connection as Airflow's `load_connections_dict` returns it.
public struct LocalFileConnection: Sendable, Hashable {
    /// The key in the file (the id Airflow finds it under when it is a `str`).
    public var key: PythonValue
    public var connection: Connection
    /// `conn_id` on Airflow's object: the key when it passes Airflow's sanitising, else `nil`.
    public var connID: String?
    /// 1-based line of the entry, when known.
    public var line: Int?
}

extension LocalFilesystemFile {
    /// The keys Airflow accepts in an object-form connection (`Connection.__init__` parameters
    /// plus `extra_dejson`), in the order Strata prints them.
    static let connectionParameterNames = ["conn_id", "conn_type", "description", "host", "login", "password",
                                           "schema", "port", "extra", "uri", "team_name", "extra_dejson"]
    static let connectionParameterSet = Set(connectionParameterNames)

    /// Airflow's `load_connections_dict(path)`. Object-form connections are built as Airflow's
    /// ORM `Connection(**value)` builds them (no type conversion), strings are parsed as URIs.
    /// `dialect` is the parser for URIs; on Airflow 3 this is always the server (core) parser,
    /// because the loader imports `airflow.models.connection` even on workers.
    public static func loadConnections(path: String, dialect: ConnectionDialect = .core,
                                       rules: Rules = .current) throws -> [LocalFileConnection] {
        try loadConnections(path: path, dialect: dialect, rules: rules, fastPath: true)
    }

    /// `loadConnections`, optionally without the fast path for the common JSON shape (the
    /// agreement tests compare both).
    static func loadConnections(path: String, dialect: ConnectionDialect, rules: Rules,
                                fastPath: Bool) throws -> [LocalFileConnection] {
        let (text, format) = try readSecretFile(path: path, rules: rules)
        if fastPath, format == .json, let connections = fastConnections(json: text, dialect: dialect) {
            return connections
        }
        if fastPath, format == .yaml, let connections = fastConnections(yaml: text, dialect: dialect) {
            return connections
        }
        return try generalConnections(text: text, format: format, path: path, dialect: dialect, rules: rules)
    }

    /// `load_connections_dict` through the general path: every Python value built, then
    /// `_create_connection` for each entry.
    static func generalConnections(text: String, format: Format, path: String, dialect: ConnectionDialect,
                                   rules: Rules) throws -> [LocalFileConnection] {
        let parserDialect: ConnectionDialect = dialect == .sdk ? .core : dialect
        // A `.env` file of the common shape skips the per-key lists (each key has one value).
        let entries = try (format == .env ? fastEnvEntries(text) : nil) ?? parseSecretText(text, format: format, path: path)
        var result: [LocalFileConnection] = []
        var positions: [PythonValue.HashKey: Int] = [:]
        result.reserveCapacity(entries.count)
        positions.reserveCapacity(entries.count)
        for entry in entries {
            var values = [entry.value]
            if case .list(let items) = entry.value {
                if items.count > 1 {
                    throw LocalFilesystemError(className: "ConnectionNotUnique",
                                               message: "Found multiple values for \(entry.key.pythonStr) in \(path).",
                                               line: entry.line)
                }
                values = items
            }
            for value in values {
                let connection = try createConnection(key: entry.key, value: value, dialect: parserDialect, line: entry.line)
                let item = LocalFileConnection(key: entry.key, connection: connection,
                                               connID: entry.key.stringValue.flatMap(sanitizedConnID), line: entry.line)
                if let position = positions[entry.key.hashKey] {
                    result[position] = item
                } else {
                    positions[entry.key.hashKey] = result.count
                    result.append(item)
                }
            }
        }
        return result
    }

    /// `_create_connection(conn_id, value)`.
    static func createConnection(key: PythonValue, value: PythonValue, dialect: ConnectionDialect,
                                 line: Int?) throws -> Connection {
        func failure(_ className: String, _ message: String, quotesInput: Bool = false) -> LocalFilesystemError {
            LocalFilesystemError(className: className, message: message, line: line, quotesInput: quotesInput)
        }
        switch value {
        case .string(let uri):
            return try constructConnection(uri: .string(uri), fields: [:], dialect: dialect, failure: failure)
        case .dict(var dict):
            let allowed = connectionParameterSet
            let illegal = dict.keys.filter { $0.stringValue.map { !allowed.contains($0) } ?? true }
            if !illegal.isEmpty {
                let names = illegal.map(\.pythonStr).joined(separator: ", ")
                let set = "{" + connectionParameterNames.map { "'\($0)'" }.joined(separator: ", ") + "}"
                throw failure("AirflowException",
                              "The object have illegal keys: \(names). The dictionary can only contain the following keys: \(set)")
            }
            if dict[string: "extra"] != nil, dict[string: "extra_dejson"] != nil {
                throw failure("AirflowException",
                              "The extra and extra_dejson parameters are mutually exclusive. Please provide only one parameter.")
            }
            if let dejson = dict[string: "extra_dejson"] {
                do {
                    dict[.string("extra")] = .string(try dejson.pythonJSONDumps())
                } catch let error as PythonException {
                    throw failure(error.className, error.message)
                }
                dict[.string("extra_dejson")] = nil
            }
            if let given = dict[string: "conn_id"], given != key {
                throw failure("AirflowException",
                              "Mismatch conn_id. The dictionary key has the value: \(given.pythonStr). The item has the value: \(key.pythonStr).")
            }
            var fields: [String: PythonValue] = [:]
            fields.reserveCapacity(dict.count)
            for (name, field) in zip(dict.keys, dict.values) { if let name = name.stringValue { fields[name] = field } }
            return try constructConnection(uri: fields["uri"] ?? .none, fields: fields, dialect: dialect, failure: failure)
        default:
            throw failure("AirflowException",
                          "Unexpected value type: <class '\(value.pythonTypeName)'>. The connection can only be defined using a string or object.")
        }
    }

    /// The ORM `Connection.__init__`: fields kept with their Python types (no conversion),
    /// a mapping `extra` JSON-dumped, falsy passwords not stored, `extra` validated on Airflow 3.
    static func constructConnection(uri: PythonValue, fields: [String: PythonValue], dialect: ConnectionDialect,
                                    failure: (String, String, Bool) -> LocalFilesystemError) throws -> Connection {
        var extra = fields["extra"] ?? .none
        // A mapping dumped to JSON always reads back as an object: nothing to validate.
        var extraIsDumpedMapping = false
        if case .dict = extra { extraIsDumpedMapping = true }
        if extra.isTruthy, extra.stringValue == nil {
            do {
                extra = .string(try extra.pythonJSONDumps())
            } catch let error as PythonException {
                throw failure(error.className, error.message, false)
            }
        }
        let fieldNames = ["conn_type", "host", "login", "password", "schema", "port"]
        if uri.isTruthy, fieldNames.contains(where: { fields[$0]?.isTruthy == true }) || extra.isTruthy {
            throw failure("AirflowException",
                          "You must create an object using the URI or individual values (conn_type, host, login, password, schema, port or extra).You can't mix these two ways to create this object.",
                          false)
        }
        var connection: Connection
        if uri.isTruthy {
            guard let text = uri.stringValue else {
                throw failure("TypeError", "the uri of a connection must be a string, not \(uri.pythonTypeName)", false)
            }
            do {
                connection = try ConnectionCodecBridge.parse(uri: text, dialect: dialect)
            } catch {
                let (className, message) = ConnectionCodecBridge.describe(error)
                var failed = failure(className, message, false)
                failed.redactedMessage = SecretRedaction.error(className: className, message: message, input: text).redacted
                throw failed
            }
        } else {
            connection = Connection()
            func assign(_ name: String, _ setter: (inout Connection, String?) -> Void) {
                let value = fields[name] ?? .none
                switch value {
                case .none: setter(&connection, nil)
                case .string(let s): setter(&connection, s)
                default:
                    setter(&connection, nil)
                    connection.verbatim[name] = value.jsonValue
                }
            }
            assign("conn_type") { $0.connType = $1 }
            assign("host") { $0.host = $1 }
            assign("login") { $0.login = $1 }
            assign("schema") { $0.schema = $1 }
            // The password setter stores only a truthy value, and encrypts it as text.
            let password = fields["password"] ?? .none
            if password.isTruthy {
                guard let text = password.stringValue else {
                    throw failure("TypeError", "encoding without a string argument", false)
                }
                connection.password = text
            }
            switch fields["port"] ?? .none {
            case .none: break
            case .int(let text) where Int(text) != nil: connection.port = Int(text)
            case let other: connection.verbatim["port"] = other.jsonValue
            }
            switch extra {
            case .none: break
            case .string(let text) where !text.isEmpty:
                if dialect != .airflow2, !extraIsDumpedMapping {
                    try validateExtra(text, failure: failure)
                }
                connection.extra = text
            case .string(let text):
                connection.extra = text
            default:
                // A falsy non-string extra ("", 0, False, {}, []) is stored as it is.
                connection.verbatim["extra"] = extra.jsonValue
            }
        }
        // `description` is assigned as given, whatever the form.
        switch fields["description"] ?? .none {
        case .none: break
        case .string(let s): connection.description = s
        case let other: connection.verbatim["description"] = other.jsonValue
        }
        return connection
    }

    /// Airflow 3's `Connection._validate_extra` (run before `conn_id` is set, hence "None").
    static func validateExtra(_ text: String, failure: (String, String, Bool) -> LocalFilesystemError) throws {
        let parsed: PythonValue
        do {
            parsed = try PythonJSON.loads(text).value
        } catch {
            throw failure("ValueError", "Encountered non-JSON in `extra` field for connection None.", false)
        }
        guard case .dict = parsed else {
            throw failure("ValueError",
                          "Encountered JSON value in `extra` which does not parse as a dictionary in connection None. The `extra` field must contain a JSON representation of a Python dict.",
                          false)
        }
    }

    /// Whether an ASCII byte may appear in a sanitised conn_id: `[\w#!()\-.:/\\]` with ASCII `\w`.
    static func isASCIIConnIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "#"), UInt8(ascii: "!"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"),
             UInt8(ascii: "/"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    /// Airflow 3's `sanitize_conn_id`: `^[\w#!()\-.:/\\]{1,}$` (Unicode `\w`), at most 250 characters.
    static func sanitizedConnID(_ id: String) -> String? {
        guard !id.isEmpty else { return nil }
        if id.utf8.count <= 250, id.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: \w is [A-Za-z0-9_].
            return id.utf8.allSatisfy(isASCIIConnIDByte) ? id : nil
        }
        guard id.count <= 250 else { return nil }
        for scalar in id.unicodeScalars {
            switch scalar {
            case "#", "!", "(", ")", "-", ".", ":", "/", "\\", "_": continue
            default:
                let properties = scalar.properties
                // Python's Unicode \w: alphanumeric (str.isalnum) or underscore.
                if properties.isAlphabetic || properties.numericType != nil { continue }
                return nil
            }
        }
        return id
    }
}
