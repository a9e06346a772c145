import Engine
import PythonCompat

/// A connection being edited: its fields, and the URI and JSON texts Airflow would read back to
/// the same connection, kept in step through the Engine's codec in the dialect of the tier
/// written. Secret parts are shown masked; a mask typed back stands for the value it hides,
/// so an untouched password keeps the stored one and the mask itself is never a value.
public struct ConnectionDraft: Sendable, Hashable {
    /// The connection as it stands, with its real secrets.
    public var connection: Connection
    public var dialect: ConnectionDialect

    /// Stands in for a secret while a form is generated, then becomes the mask on screen. Plain
    /// letters, so URI quoting and JSON leave it as it is.
    static let sentinel = "STRATAMASKEDVALUE"

    public init(_ connection: Connection, dialect: ConnectionDialect) {
        self.connection = connection
        self.dialect = dialect
    }

    // MARK: The live forms

    /// The URI Airflow generates (`get_uri()`), secrets masked unless `revealed`; or Airflow's error.
    public func uri(revealed: Bool) -> Result<String, AirflowError> {
        form(revealed: revealed) { try $0.uri(dialect: dialect) }
    }

    /// The JSON form (`as_json()`), secrets masked unless `revealed`; or Airflow's error.
    public func json(revealed: Bool) -> Result<String, AirflowError> {
        form(revealed: revealed) { try $0.jsonText(dialect: dialect) }
    }

    private func form(revealed: Bool, _ make: (Connection) throws -> String) -> Result<String, AirflowError> {
        do {
            if revealed { return .success(try make(connection)) }
            return .success(try make(maskedCopy()).replacing(Self.sentinel, with: Masked.placeholder))
        } catch let error as AirflowError {
            return .failure(masking(error))
        } catch {
            return .failure(AirflowError("\(type(of: error))", ""))
        }
    }

    /// The problem Airflow would raise for the connection as it stands, if any.
    public var problem: AirflowError? {
        if case .failure(let error) = uri(revealed: false) { return error }
        if case .failure(let error) = json(revealed: false) { return error }
        return nil
    }

    /// The connection with its password and sensitive extra values replaced by the sentinel.
    func maskedCopy() -> Connection {
        var copy = connection
        if let password = copy.password, !password.isEmpty { copy.password = Self.sentinel }
        if let extra = copy.extra, case .object(let object)? = try? JSONValue.parsePython(extra),
           object.contains(where: { SensitiveNames.isSensitive($0.key) }) {
            var masked = JSONObject()
            for member in object {
                if SensitiveNames.isSensitive(member.key), case .string(let text) = member.value, !text.isEmpty {
                    masked[member.key] = .string(Self.sentinel)
                } else {
                    masked[member.key] = member.value
                }
            }
            copy.extra = JSONValue.object(masked).pythonDumps()
        }
        return copy
    }

    /// An error whose message may echo what was typed (the SDK quotes the URI), with the
    /// secrets it could hold masked.
    func masking(_ error: AirflowError) -> AirflowError {
        var message = error.message.replacing(Self.sentinel, with: Masked.placeholder)
        if let password = connection.password, password.count >= 3 {
            message = message.replacing(password, with: Masked.placeholder)
        }
        return AirflowError(error.className, message)
    }

    // MARK: Typing a whole form

    /// Reads a typed URI the way Airflow would; masks in it keep the values they hide.
    public func parsing(uri text: String) -> Result<Connection, AirflowError> {
        parse(text) { try Connection.parse(uri: $0, dialect: dialect) }
    }

    /// Reads a typed JSON form the way Airflow would; masks in it keep the values they hide.
    public func parsing(json text: String) -> Result<Connection, AirflowError> {
        parse(text) { try Connection.parse(json: $0, dialect: dialect) }
    }

    private func parse(_ typed: String, _ read: (String) throws -> Connection) -> Result<Connection, AirflowError> {
        let text = typed.trimmingSpaces.replacing(Masked.placeholder, with: Self.sentinel)
        do {
            var parsed = try read(text)
            parsed.description = connection.description
            return try .success(restoringMasks(parsed))
        } catch let error as AirflowError {
            return .failure(masking(error))
        } catch {
            return .failure(AirflowError("\(type(of: error))", ""))
        }
    }

    /// Puts the hidden values back where the sentinel stands.
    func restoringMasks(_ parsed: Connection) throws -> Connection {
        var result = parsed
        if result.password == Self.sentinel { result.password = connection.password }
        if let extra = result.extra, extra.contains(Self.sentinel) {
            let old = (try? JSONValue.parsePython(connection.extra ?? ""))?.objectValue ?? JSONObject()
            guard case .object(let object)? = try? JSONValue.parsePython(extra) else {
                throw AirflowError("ValueError", "a masked value in `extra` cannot be matched to a stored one; reveal (x) and type the value")
            }
            var restored = JSONObject()
            for member in object {
                if case .string(Self.sentinel) = member.value {
                    guard let kept = old[member.key] else {
                        throw AirflowError("ValueError", "extra key '\(member.key)' holds a mask but no stored value; type the value")
                    }
                    restored[member.key] = kept
                } else {
                    restored[member.key] = member.value
                }
            }
            result.extra = JSONValue.object(restored).pythonDumps()
        }
        if [result.connType, result.host, result.login, result.password, result.schema, result.extra]
            .contains(where: { $0?.contains(Self.sentinel) == true }) {
            throw AirflowError("ValueError", "a mask stands where no stored value is; reveal (x) and type the value")
        }
        return result
    }

    // MARK: One field

    /// The field's text; secrets masked unless `revealed`; nil when unset.
    public func text(of field: ConnectionField, revealed: Bool) -> String? {
        let c = connection
        switch field {
        case .connType: return c.verbatim["conn_type"]?.pythonDumps() ?? c.connType
        case .host: return c.verbatim["host"]?.pythonDumps() ?? c.host
        case .login: return c.verbatim["login"]?.pythonDumps() ?? c.login
        case .password:
            guard let password = c.verbatim["password"]?.pythonDumps() ?? c.password else { return nil }
            return revealed || password.isEmpty ? password : Masked.placeholder
        case .schema: return c.verbatim["schema"]?.pythonDumps() ?? c.schema
        case .port: return c.verbatim["port"]?.pythonDumps() ?? c.port.map(String.init)
        case .extra:
            guard let extra = c.verbatim["extra"]?.pythonDumps() ?? c.extra else { return nil }
            if revealed { return extra }
            return maskedCopy().extra?.replacing(Self.sentinel, with: Masked.placeholder) ?? extra
        case .description: return c.description
        }
    }

    /// The extra's members as key/value rows (sensitive values masked unless `revealed`);
    /// nil when the extra is not a JSON object.
    public func extraRows(revealed: Bool) -> [(key: String, value: String)]? {
        guard let extra = connection.extra, !extra.isEmpty else { return [] }
        guard case .object(let object)? = try? JSONValue.parsePython(extra) else { return nil }
        return object.map { member in
            let text = member.value.stringValue ?? member.value.pythonDumps()
            return (member.key, SensitiveNames.isSensitive(member.key) && !revealed ? Masked.placeholder : text)
        }
    }

    /// Sets one field from typed text; returns Airflow's error when it would not accept it,
    /// leaving the draft as it was. An empty text unsets the field.
    public mutating func set(_ field: ConnectionField, to typed: String) -> AirflowError? {
        var next = connection
        next.verbatim[field.rawValue] = nil
        let text: String? = typed.isEmpty ? nil : typed
        switch field {
        case .connType: next.connType = text
        case .host: next.host = text
        case .login: next.login = text
        case .password: next.password = text
        case .schema: next.schema = text
        case .description: next.description = text
        case .port:
            if let text {
                // The JSON form's own check, so the message is Airflow's.
                let document = JSONValue.object(JSONObject([("port", .string(text.trimmingSpaces))])).pythonDumps()
                do {
                    next.port = try Connection.parse(json: document, dialect: dialect).port
                } catch let error as AirflowError {
                    return error
                } catch {
                    return AirflowError("ValueError", "port is not a number")
                }
            } else {
                next.port = nil
            }
        case .extra:
            if let text {
                let unmasked: Connection
                do {
                    var candidate = next
                    candidate.extra = text.replacing(Masked.placeholder, with: Self.sentinel)
                    unmasked = try restoringMasks(candidate)
                } catch let error as AirflowError {
                    return error
                } catch {
                    return AirflowError("ValueError", "extra cannot be read")
                }
                next.extra = unmasked.extra
            } else {
                next.extra = nil
            }
        }
        var candidate = self
        candidate.connection = next
        if field == .extra, let problem = candidate.problem { return problem }
        connection = next
        return nil
    }
}

extension JSONValue {
    /// `json.loads` as a result, for showing Airflow's message inline.
    static func parsePythonResult(_ text: String) -> Result<JSONValue, AirflowError> {
        do {
            return .success(try JSONValue.parsePython(text))
        } catch let error as AirflowError {
            return .failure(error)
        } catch {
            return .failure(AirflowError("\(type(of: error))", ""))
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
