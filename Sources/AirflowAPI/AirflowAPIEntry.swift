import Engine
import PythonCompat

/// Reads the connection and variable objects Airflow's REST API answers with into tier
/// records, marking what Airflow masked. Airflow's secrets masker replaces a masked string with
/// `***` (passwords, extra keys with sensitive names, variables whose key looks sensitive,
/// besides the names in `[core] sensitive_var_conn_names`): any string that is exactly `***`
/// is therefore hidden, whichever rule masked it. Numbers and booleans under a sensitive name
/// are not masked by Airflow and stay visible.
enum AirflowAPIEntry {
    static let mask = "***"

    /// The record for one item of `GET …/connections`, or nil when it has no usable id.
    static func connectionRecord(_ item: JSONObject, version: AirflowAPIVersion) -> TierRecord? {
        guard let id = item["connection_id"]?.stringValue, !id.isEmpty else { return nil }
        var pairs: [(String, String)] = []
        if let description = item["description"]?.stringValue { pairs.append(("description", description)) }
        if let team = item["team_name"]?.stringValue { pairs.append(("team_name", team)) }
        guard let connType = item["conn_type"]?.stringValue else {
            return TierRecord(kind: .connection, name: id, suggestedID: id,
                              state: .unreadable(reason: "the API's answer has no conn_type for this connection"),
                              metadataPairs: pairs)
        }
        var hidden: [[String]] = []
        var connection = Connection(connType: connType)
        for (field, keyPath) in [("host", \Connection.host), ("login", \Connection.login), ("schema", \Connection.schema),
                                 ("description", \Connection.description)] {
            switch item[field] {
            case .string(let text)?: connection[keyPath: keyPath] = text
            case .null?, nil: break
            default:
                return unreadable(id, "its \(field) is not text", pairs)
            }
        }
        switch item["port"] {
        case .integer(let text)?:
            guard let port = Int(text), port >= Int(Int32.min), port <= Int(Int32.max) else {
                return unreadable(id, "its port is outside the range a port column holds", pairs)
            }
            connection.port = port
        case .null?, nil: break
        default: return unreadable(id, "its port is not a whole number", pairs)
        }
        switch item["password"] {
        case .string(let text)?:
            if text == mask { hidden.append(["password"]) } else { connection.password = text }
        case .null?: break
        case nil:
            // Airflow 2's API never returns the password: whether there is one cannot be told.
            hidden.append(["password"])
        default: return unreadable(id, "its password is not text", pairs)
        }
        switch item["extra"] {
        case .string(let text)?:
            connection.extra = text
            if text == mask {
                hidden.append(["extra"])
            } else if let document = try? JSONValue.parsePython(text) {
                hidden += maskedLeaves(in: document, path: ["extra"])
            }
        case .null?, nil: break
        default: return unreadable(id, "its extra is not text", pairs)
        }
        let alteration = SourceAlteration(hidden: HiddenFields(hidden))
        return TierRecord(kind: .connection, name: id, suggestedID: id, state: .present(.connection(connection)),
                          metadataPairs: pairs + alteration.metadataPairs)
    }

    /// The record for one variable object (`key`, `value`, `description`); nil without a key.
    /// `reserializes` says whether this API answers `json.dumps(json.loads(value))` for a value
    /// that parses as JSON (Airflow 3's does).
    static func variableRecord(_ item: JSONObject, reserializes: Bool) -> TierRecord? {
        guard let key = item["key"]?.stringValue, !key.isEmpty else { return nil }
        var pairs: [(String, String)] = []
        if let description = item["description"]?.stringValue { pairs.append(("description", description)) }
        if let team = item["team_name"]?.stringValue { pairs.append(("team_name", team)) }
        switch item["value"] {
        case .string(let text)?:
            var alteration = SourceAlteration()
            if text == mask {
                alteration.hidden = HiddenFields([["value"]])
            } else if reserializes, let document = try? JSONValue.parsePython(text) {
                if maskedLeaves(in: document, path: []).isEmpty {
                    alteration.reserializedJSON = true
                } else {
                    alteration.hidden = HiddenFields([["value"]])
                }
            }
            let state: EntryState = text.isEmpty ? .empty : .present(.variable(text))
            return TierRecord(kind: .variable, name: key, suggestedID: key, state: state,
                              metadataPairs: pairs + alteration.metadataPairs)
        case .null?:
            return TierRecord(kind: .variable, name: key, suggestedID: key,
                              state: .unreadable(reason: "the variable has no value (val is NULL)"), metadataPairs: pairs)
        default:
            return TierRecord(kind: .variable, name: key, suggestedID: key,
                              state: .unreadable(reason: "the API's answer has no text value for this variable"), metadataPairs: pairs)
        }
    }

    /// The paths of every string that is exactly `***` in `value`, below `path`.
    static func maskedLeaves(in value: JSONValue, path: [String]) -> [[String]] {
        switch value {
        case .string(let text): return text == mask ? [path] : []
        case .object(let object): return object.flatMap { maskedLeaves(in: $0.value, path: path + [$0.key]) }
        case .array(let items): return items.enumerated().flatMap { maskedLeaves(in: $0.element, path: path + [String($0.offset)]) }
        default: return []
        }
    }

    private static func unreadable(_ id: String, _ reason: String, _ pairs: [(String, String)]) -> TierRecord {
        TierRecord(kind: .connection, name: id, suggestedID: id,
                   state: .unreadable(reason: "the API's answer for this connection cannot be used: \(reason)"), metadataPairs: pairs)
    }
}
