import PythonCompat
/// A connection's attributes as the Python values Airflow holds (`verbatim` overrides the typed
/// property), and the Python operations Airflow applies to them with their exact `TypeError`s.
extension Connection {
    /// The Python value of one attribute (`conn_type`, `host`, … as in `fieldNames`): the
    /// `verbatim` value when there is one, else the typed property (`nil` → `.null`).
    public func fieldValue(_ field: String) -> JSONValue {
        guard let known = Field(rawValue: field) else { return verbatim[field] ?? .null }
        return fieldValue(known)
    }

    /// One of a connection's attributes, by its Python name.
    public enum Field: String, Sendable, CaseIterable {
        case connType = "conn_type", host, login, password, schema, port, extra, description
    }

    /// `fieldValue` for an attribute named by `Field`: no name matching on the hot paths.
    public func fieldValue(_ field: Field) -> JSONValue {
        if !verbatim.isEmpty, let value = verbatim[field.rawValue] { return value }
        switch field {
        case .connType: return connType.map(JSONValue.string) ?? .null
        case .host: return host.map(JSONValue.string) ?? .null
        case .login: return login.map(JSONValue.string) ?? .null
        case .password: return password.map(JSONValue.string) ?? .null
        case .schema: return schema.map(JSONValue.string) ?? .null
        case .port: return port.map { .integer(String($0)) } ?? .null
        case .extra: return extra.map(JSONValue.string) ?? .null
        case .description: return description.map(JSONValue.string) ?? .null
        }
    }

    /// Sets one attribute from a Python value: typed when it fits the property (a `str` or
    /// `None`; an `int` port within `Int`), else kept in `verbatim`.
    public mutating func setFieldValue(_ field: String, _ value: JSONValue) {
        verbatim[field] = nil
        var fits = true
        switch (field, value) {
        case ("port", .null): port = nil
        case ("port", .integer(let text)):
            if let number = Int(text) { port = number } else { fits = false }
        case ("port", _): fits = false
        case (_, .null), (_, .string):
            let text = value.stringValue
            switch field {
            case "conn_type": connType = text
            case "host": host = text
            case "login": login = text
            case "password": password = text
            case "schema": schema = text
            case "extra": extra = text
            case "description": description = text
            default: break
            }
        default: fits = false
        }
        if !fits {
            switch field {
            case "conn_type": connType = nil
            case "host": host = nil
            case "login": login = nil
            case "password": password = nil
            case "schema": schema = nil
            case "port": port = nil
            case "extra": extra = nil
            case "description": description = nil
            default: break
            }
            verbatim[field] = value
        }
    }
}

/// Python operators on decoded values, raising what CPython raises.
enum PythonOps {
    /// `item in container` for a `str` item.
    static func contains(_ container: JSONValue, _ item: String) throws -> Bool {
        switch container {
        case .string(let s): return ByteSearch.contains(item, in: s)
        case .array(let items): return items.contains(.string(item))
        case .object(let object): return object[item] != nil
        default: throw AirflowError("TypeError", "argument of type '\(container.pythonTypeName)' is not iterable")
        }
    }

    /// `urllib.parse.quote(value, safe="")` appended as bytes.
    static func quote(_ value: JSONValue, into out: inout [UInt8]) throws {
        guard case .string(let s) = value else { throw AirflowError("TypeError", "quote_from_bytes() expected bytes") }
        PythonURL.quote(s, spaceAsPlus: false, into: &out)
    }

    /// `urllib.parse.quote(value, safe="")`.
    static func quote(_ value: JSONValue) throws -> String {
        guard case .string(let s) = value else { throw AirflowError("TypeError", "quote_from_bytes() expected bytes") }
        return PythonURL.quote(s)
    }

    /// The string payload, or the `AttributeError` for calling a `str` method on anything else.
    static func string(_ value: JSONValue, calling method: String) throws -> String {
        guard case .string(let s) = value else {
            throw AirflowError("AttributeError", "'\(value.pythonTypeName)' object has no attribute '\(method)'")
        }
        return s
    }

    /// `json.loads(value)` as `extra_dejson` uses it: invalid JSON gives `{}` (Airflow logs it);
    /// a non-`str` raises `TypeError`; other decoder errors propagate.
    static func extraDejson(_ extra: JSONValue) throws -> JSONValue {
        try extraDejson(extra, building: JSONValueBuilder.self)
    }

    /// `extraDejson`, decoded with another builder.
    static func extraDejson<Builder: PythonJSONBuilder>(_ extra: JSONValue, building builder: Builder.Type) throws -> Builder.Value {
        guard extra.pythonTruthy else { return Builder.object(Builder.emptyObject()) }
        guard case .string(let text) = extra else {
            throw AirflowError("TypeError", "the JSON object must be str, bytes or bytearray, not \(extra.pythonTypeName)")
        }
        switch JSONValue.loadsPython(text, building: builder) {
        case .success(let value): return value
        case .failure(let error) where error.isJSONDecodeError: return Builder.object(Builder.emptyObject())
        case .failure(let error): throw error
        }
    }

    /// Airflow 3 core's `extra` getter, which validates on every read.
    static func validateCoreExtra(_ extra: JSONValue) throws {
        guard extra.pythonTruthy else { return }
        guard case .string(let text) = extra else {
            throw AirflowError("TypeError", "the JSON object must be str, bytes or bytearray, not \(extra.pythonTypeName)")
        }
        try AirflowExtraValidation.validate(text)
    }

    /// `extra_dejson` on Airflow 3 core reduced to what `get_uri()` needs: the getter's
    /// validation and the decoding in one pass.
    static func validatedCoreExtraPairs(_ extra: JSONValue) throws -> ExtraQueryPairs.Value {
        guard extra.pythonTruthy else { return .dict(ExtraQueryPairs.Pairs()) }
        guard case .string(let text) = extra else {
            throw AirflowError("TypeError", "the JSON object must be str, bytes or bytearray, not \(extra.pythonTypeName)")
        }
        return try AirflowExtraValidation.validated(text, building: ExtraQueryPairs.self) {
            if case .dict = $0 { true } else { false }
        }
    }
}
