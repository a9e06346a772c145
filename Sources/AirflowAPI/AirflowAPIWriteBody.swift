import Editing
import Engine
import PythonCompat

/// The JSON bodies of the API's writes, and the `update_mask` of an update: exactly the fields
/// the user changed, so that a field the API hides is neither sent nor overwritten.
enum AirflowAPIWriteBody {
    /// The body of a `POST`. With a team (Airflow 3.2+ multi-team) the entry is created as the
    /// team's (`team_name`), as the API's own bodies allow: this team's lookups read it, and
    /// other teams' do not.
    static func create(_ key: SecretKey, _ value: EditValue, team: String? = nil) throws -> JSONObject {
        var body: JSONObject
        switch value {
        case .variable(let text, let description):
            body = JSONObject()
            body["key"] = .string(key.id)
            body["value"] = .string(text)
            if let description { body["description"] = .string(description) }
        case .connection(let connection):
            body = try connectionBody(key, connection)
            if let password = connection.password, !password.isEmpty { body["password"] = .string(password) }
        }
        if let team { body["team_name"] = .string(team) }
        return body
    }

    /// The body and mask of a `PATCH` from the entry as read (`before`) to `value`.
    static func update(_ key: SecretKey, from before: TierRecord, to value: EditValue,
                       version: AirflowAPIVersion) throws -> (JSONObject, [String]) {
        let hidden = before.hiddenFields
        switch (before.state, value) {
        case (_, .variable(let text, let description)):
            var old = ""
            if case .present(.variable(let stored)) = before.state { old = stored }
            var mask: [String] = []
            var body = JSONObject()
            body["key"] = .string(key.id)
            // The value is always in the body (the API requires it) but only in the mask when changed.
            body["value"] = .string(text)
            if text != old || !isPresent(before.state) { mask.append("value") }
            if let description, description != before.metadataValue(forKey: "description") {
                body["description"] = .string(description)
                mask.append("description")
            }
            return (body, mask)
        case (.present(.connection(let old)), .connection(let new)):
            var body = try connectionBody(key, new)
            var mask: [String] = []
            if new.connType != old.connType { mask.append("conn_type") }
            if new.host != old.host { mask.append("host") }
            if new.login != old.login { mask.append("login") }
            if new.schema != old.schema { mask.append("schema") }
            if new.port != old.port { mask.append("port") }
            if new.description != old.description, new.description != nil || old.description != nil { mask.append("description") }
            if new.extra != old.extra {
                let stillMasked = hidden.extraPaths.filter { path in
                    guard let text = new.extra, let document = try? JSONValue.parsePython(text) else { return false }
                    return document.leaf(at: path[...]) == .string(AirflowAPIEntry.mask)
                }
                // Airflow 3 merges: a `***` left in a PATCHed extra restores the stored secret.
                // Airflow 2 stores it literally, and the secret would be lost.
                if hidden.hides("extra") || (version == .v1 && !stillMasked.isEmpty) {
                    let names = hidden.hides("extra") ? ["extra"] : stillMasked.map { (["extra"] + $0).joined(separator: ".") }
                    throw EditError(.invalid, "\(names.joined(separator: ", ")) of \(key) is hidden by the Airflow API, and the API "
                                    + "replaces extra whole: sending it would overwrite the hidden value with ***. Give each hidden "
                                    + "key its real value, or change extra where it is stored in full (the metastore database).")
                }
                mask.append("extra")
            }
            if hidden.hides("password") {
                // Nil is "left as it is": the hidden password is kept.
                if new.password == "" {
                    throw EditError(.invalid, "the password of \(key) is hidden by the Airflow API, which cannot clear one "
                                    + "(an empty password keeps the stored one); delete the connection and create it again without one")
                }
                if let password = new.password {
                    body["password"] = .string(password)
                    mask.append("password")
                }
            } else if new.password != old.password {
                guard let password = new.password, !password.isEmpty else {
                    throw EditError(.invalid, "Airflow's REST API cannot clear the password of \(key) (an empty one keeps the stored "
                                    + "password); delete the connection and create it again without one")
                }
                body["password"] = .string(password)
                mask.append("password")
            }
            return (body, mask)
        default:
            throw EditError(.invalid, "\(key) cannot be updated through the API from what it holds now; delete it and create it again")
        }
    }

    private static func isPresent(_ state: EntryState) -> Bool {
        if case .present = state { return true }
        return false
    }

    /// Every visible field of a connection (the API requires `connection_id` and `conn_type`).
    private static func connectionBody(_ key: SecretKey, _ connection: Connection) throws -> JSONObject {
        guard connection.verbatim.isEmpty else {
            throw EditError(.invalid, "\(key) has fields of unusual types (\(connection.verbatim.keys.sorted().joined(separator: ", "))) "
                            + "that Airflow's connection fields cannot hold")
        }
        guard let connType = connection.connType, !connType.isEmpty else {
            throw EditError(.invalid, "\(key) needs a conn_type")
        }
        var body = JSONObject()
        body["connection_id"] = .string(key.id)
        body["conn_type"] = .string(connType)
        body["description"] = connection.description.map { .string($0) } ?? .null
        body["host"] = connection.host.map { .string($0) } ?? .null
        body["login"] = connection.login.map { .string($0) } ?? .null
        body["schema"] = connection.schema.map { .string($0) } ?? .null
        body["port"] = connection.port.map { .integer(String($0)) } ?? .null
        body["extra"] = connection.extra.map { .string($0) } ?? .null
        return body
    }
}

