import Engine
import PythonCompat

/// One `--field NAME=VALUE`: sets a connection field (`NAME` alone unsets it; `extra.KEY=VALUE`
/// sets one key of the extra object, with VALUE read as JSON when it is JSON).
struct FieldAssignment {
    var name: String
    /// nil: unset the field.
    var value: String?

    init(_ text: String) throws {
        if let equals = text.firstIndex(of: "=") {
            name = String(text[..<equals])
            let raw = String(text[text.index(after: equals)...])
            value = try StandardInput.valueOrStdin(raw, what: "field \(name)")
        } else {
            name = text
            value = nil
        }
        guard Self.names.contains(name) || (name.hasPrefix("extra.") && name.count > 6) else {
            throw CLIError.usage("unknown connection field '\(InertText.make(name))'; use one of "
                                 + Self.names.joined(separator: ", ") + ", or extra.KEY")
        }
    }

    static let names = ["conn_type", "host", "login", "password", "schema", "port", "extra", "description"]

    func apply(to connection: inout Connection) throws {
        connection.verbatim[name] = nil
        switch name {
        case "conn_type": connection.connType = value
        case "host": connection.host = value
        case "login": connection.login = value
        case "password": connection.password = value
        case "schema": connection.schema = value
        case "description": connection.description = value
        case "port":
            guard let value, !value.isEmpty else { connection.port = nil; return }
            guard let port = Int(value) else {
                throw CLIError.usage("port must be a whole number, not '\(InertText.make(value))'")
            }
            connection.port = port
        case "extra":
            if let value, !value.isEmpty, (try? JSONValue.parsePython(value)) == nil {
                throw CLIError.usage("extra must be JSON text (an object such as {\"region\": \"eu\"})")
            }
            connection.extra = value
        default:
            try setExtraKey(String(name.dropFirst("extra.".count)), in: &connection)
        }
    }

    private func setExtraKey(_ key: String, in connection: inout Connection) throws {
        var object = JSONObject()
        if let extra = connection.extra, !extra.isEmpty {
            guard case .object(let existing)? = try? JSONValue.parsePython(extra) else {
                throw CLIError.usage("the connection's extra is not a JSON object, so extra.\(InertText.make(key)) cannot be set; "
                                     + "replace it whole with --field extra=…")
            }
            object = existing
        }
        if let value {
            object[key] = (try? JSONValue.parsePython(value)) ?? .string(value)
        } else {
            object[key] = nil
        }
        connection.extra = object.isEmpty ? nil : JSONValue.object(object).pythonDumps()
    }
}
