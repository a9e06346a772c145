import PythonCompat
/// `Connection.from_json` and `as_json` for Airflow 2, Airflow 3 core and the Task SDK.
extension Connection {
    /// Connection.from_json(text) for the dialect. Throws `AirflowError`.
    public static func parse(json text: String, dialect: ConnectionDialect) throws -> Connection {
        var unused: JSONObject?
        return try parse(json: text, dialect: dialect, extraObject: &unused)
    }

    /// `parse(json:)`, keeping what get_uri() writes for an extra given as a JSON object (the
    /// usual form), so that `ParsedCommonURI.appendURI` need not decode its dump again.
    public static func parseJSONForRoundTrip(_ text: String, dialect: ConnectionDialect) throws -> ParsedCommonURI {
        var extraObject: JSONObject?
        let connection = try parse(json: text, dialect: dialect, extraObject: &extraObject)
        var query: AirflowURIFastPath.QueryForm?
        if let extraObject, extraObject.count > 0 {
            // get_uri() decodes the dump back into this object: its pairs while every value is
            // a str, else the whole extra.
            var pairs: [(String, String)] = []
            for (key, value) in extraObject {
                guard case .string(let text) = value else { break }
                pairs.append((key, text))
            }
            if pairs.count == extraObject.count {
                var encoded: [UInt8] = []
                PythonURL.urlencode(pairs, into: &encoded)
                query = .pairs(encoded)
            } else {
                query = .wholeExtra
            }
        }
        return ParsedCommonURI(connection: connection, dialect: dialect, query: query)
    }

    /// `parse(json:)`, setting `extraObject` to the extra when it was a non-empty JSON object.
    private static func parse(json text: String, dialect: ConnectionDialect, extraObject: inout JSONObject?) throws -> Connection {
        extraObject = nil
        let document = try JSONValue.parsePython(text)
        guard case .object(var kwargs) = document else {
            if case .array = document { throw AirflowError("TypeError", "pop expected at most 1 argument, got 2") }
            throw AirflowError("AttributeError", "'\(document.pythonTypeName)' object has no attribute 'pop'")
        }
        // kwargs.pop(...) then re-insertion puts extra, conn_type, port last, as in Python.
        if let extra = kwargs.removeValue("extra"), extra.pythonTruthy {
            kwargs["extra"] = extra.stringValue.map(JSONValue.string) ?? .string(extra.pythonDumps())
            if case .object(let object) = extra { extraObject = object }
        }
        if let connType = kwargs.removeValue("conn_type"), connType.pythonTruthy {
            kwargs["conn_type"] = try normalizedConnType(connType)
        }
        if let port = kwargs.removeValue("port"), port.pythonTruthy {
            do {
                kwargs["port"] = .integer(try PythonIntConversion.int(port))
            } catch let error as AirflowError where error.className == "ValueError" {
                throw AirflowError("ValueError", "Expected integer value for `port`, but got \(port.pythonRepr) instead.")
            }
        }
        // A dumped object is always a valid extra: core's check of it would decode it for nothing.
        return try construct(kwargs, dialect: dialect, extraIsDumpedObject: extraObject != nil)
    }

    /// `_normalize_conn_type` applied to any decoded value.
    static func normalizedConnType(_ value: JSONValue) throws -> JSONValue {
        if case .string(let text) = value { return .string(AirflowURIParser.normalizeConnType(text)) }
        if try PythonOps.contains(value, "-") {
            throw AirflowError("AttributeError", "'\(value.pythonTypeName)' object has no attribute 'replace'")
        }
        return value
    }

    private static let ormKeywords: Set<String> = ["conn_type", "description", "host", "login", "password", "schema", "port", "extra", "uri"]
    private static let sdkKeywords: Set<String> = ["conn_type", "description", "host", "schema", "login", "password", "port", "extra"]
    private static let mixMessage = "You must create an object using the URI or individual values (conn_type, host, login, password, schema, port or extra)."

    /// `cls(conn_id=conn_id, **kwargs)`.
    private static func construct(_ kwargs: JSONObject, dialect: ConnectionDialect, extraIsDumpedObject: Bool = false) throws -> Connection {
        if kwargs["conn_id"] != nil {
            let qualifiedName = dialect == .sdk ? "airflow.sdk.definitions.connection.Connection" : "airflow.models.connection.Connection"
            throw AirflowError("TypeError", "\(qualifiedName)() got multiple values for keyword argument 'conn_id'")
        }
        return dialect == .sdk ? try constructSDK(kwargs) : try constructORM(kwargs, dialect: dialect, extraIsDumpedObject: extraIsDumpedObject)
    }

    /// The ORM model's `__init__` (Airflow 2 and Airflow 3 core).
    private static func constructORM(_ kwargs: JSONObject, dialect: ConnectionDialect, extraIsDumpedObject: Bool) throws -> Connection {
        for key in kwargs.keys where !ormKeywords.contains(key) && !(dialect == .core && key == "team_name") {
            throw AirflowError("TypeError", "__init__() got an unexpected keyword argument '\(key)'")
        }
        func argument(_ name: String) -> JSONValue { kwargs[name] ?? .null }
        let uri = argument("uri")
        if uri.pythonTruthy {
            let others = ["conn_type", "host", "login", "password", "schema", "port", "extra"]
            if others.contains(where: { argument($0).pythonTruthy }) {
                throw AirflowError("AirflowException", mixMessage + "You can't mix these two ways to create this object.")
            }
            var connection = try parseURIValue(uri, dialect: dialect)
            connection.setFieldValue("description", argument("description"))
            return connection
        }
        var connection = Connection()
        connection.setFieldValue("description", argument("description"))
        connection.setFieldValue("conn_type", argument("conn_type"))
        connection.setFieldValue("host", argument("host"))
        connection.setFieldValue("login", argument("login"))
        // The password setter stores only a truthy value, and encodes it (str only).
        let password = argument("password")
        if password.pythonTruthy {
            guard case .string = password else { throw AirflowError("TypeError", "encoding without a string argument") }
            connection.setFieldValue("password", password)
        }
        connection.setFieldValue("schema", argument("schema"))
        connection.setFieldValue("port", argument("port"))
        let extra = argument("extra")
        connection.setFieldValue("extra", extra)
        if dialect == .core, !extraIsDumpedObject, case .string(let text) = extra, !text.isEmpty {
            try AirflowExtraValidation.validate(text)
        }
        return connection
    }

    /// The Task SDK's attrs class: `__init__(*, conn_id, uri=None, **kwargs)`.
    private static func constructSDK(_ kwargs: JSONObject) throws -> Connection {
        var rest = kwargs
        let uri = rest.removeValue("uri") ?? .null
        if uri != .null {
            if !rest.isEmpty {
                throw AirflowError("AirflowException", mixMessage + " You can't mix these two ways to create this object.")
            }
            return try parseURIValue(uri, dialect: .sdk)
        }
        for key in rest.keys where !sdkKeywords.contains(key) {
            throw AirflowError("TypeError", "Connection.__attrs_init__() got an unexpected keyword argument '\(key)'")
        }
        var connection = Connection()
        for field in Connection.fieldNames { connection.setFieldValue(field, rest[field] ?? .null) }
        return connection
    }

    /// Parsing a `uri` keyword whose JSON value may not be a string.
    private static func parseURIValue(_ uri: JSONValue, dialect: ConnectionDialect) throws -> Connection {
        switch uri {
        case .string(let text): return try parse(uri: text, dialect: dialect)
        case .array:
            // list.count works; urlsplit's lru_cache then fails to hash the list.
            throw AirflowError("TypeError", "unhashable type: 'list'")
        default:
            throw AirflowError("AttributeError", "'\(uri.pythonTypeName)' object has no attribute 'count'")
        }
    }

    /// as_json() text for the dialect: `to_dict(prune_empty=True)` without `conn_id`, with
    /// `extra` as a decoded object when `extra_dejson` is truthy.
    public func jsonText(dialect: ConnectionDialect) throws -> String {
        var object = JSONObject()
        for field in ["conn_type", "description", "host", "login", "password", "schema", "port"] {
            if let pruned = Self.pruneNone(fieldValue(field)) { object[field] = pruned }
        }
        let extra = fieldValue("extra")
        if dialect == .core { try PythonOps.validateCoreExtra(extra) }
        let dejson = try PythonOps.extraDejson(extra)
        if dejson.pythonTruthy { object["extra"] = dejson }
        return JSONValue.object(object).pythonDumps()
    }

    /// `prune_dict(mode="strict")`: drops `None` members of dicts and lists, recursively.
    private static func pruneNone(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .array(let items): return .array(items.compactMap(pruneNone))
        case .object(let object):
            var pruned = JSONObject()
            for (key, member) in object {
                if let kept = pruneNone(member) { pruned[key] = kept }
            }
            return .object(pruned)
        default: return value
        }
    }

    /// extra parsed as JSON (extra_dejson semantics), nil when absent.
    ///
    /// Absent means `None` or `""`. Text that is not JSON gives `{}`, as `extra_dejson` does;
    /// a non-string `extra` kept verbatim (a YAML mapping in a local file) is returned as is.
    public var extraJSON: JSONValue? {
        let value = fieldValue("extra")
        switch value {
        case .null: return nil
        case .string(let text):
            if text.isEmpty { return nil }
            if case .success(let decoded) = JSONValue.loadsPython(text) { return decoded }
            return .object(JSONObject())
        default:
            return value
        }
    }
}

extension JSONObject {
    /// `dict.pop(key, None)`.
    mutating func removeValue(_ key: String) -> JSONValue? {
        let value = self[key]
        if value != nil { self[key] = nil }
        return value
    }
}
