import Engine
import PythonCompat

extension Resolution {
    /// The stable `strata list --json` entry for this key.
    func jsonEntry(masking: Masking, includeDetail: Bool = false, exactFailures: [TierID: String] = [:]) -> JSONValue {
        var entry = JSONObject()
        entry["kind"] = .string(key.kind.rawValue)
        entry["id"] = .string(key.id)
        entry["winner"] = winner.map { .string($0.rawValue) } ?? .null
        entry["tiers"] = .array(tiers.map { $0.jsonEntry(masking: masking, kind: key.kind, includeDetail: includeDetail,
                                                              exactFailures: exactFailures) })
        let hidden = winning?.record?.hiddenFields ?? .none
        switch value {
        case .variable(let text)?:
            entry["value"] = hidden.hides("value") ? .null : .string(masking.variable(text))
        case .connection(let connection)?:
            entry["connection"] = masking.connection(connection.blankingHidden(hidden)).jsonFields()
        case nil:
            entry[key.kind == .variable ? "value" : "connection"] = .null
        }
        if !hidden.isEmpty { entry["hidden"] = .array(hidden.names.map { .string($0) }) }
        entry["masked"] = .bool(masking == .masked && value != nil)
        entry["collisions"] = .array(collisions.map { .string($0) })
        return .object(entry)
    }
}

extension TierResolution {
    func jsonEntry(masking: Masking, kind: SecretKind, includeDetail: Bool, exactFailures: [TierID: String] = [:]) -> JSONValue {
        var entry = JSONObject()
        entry["tier"] = .string(tier.rawValue)
        entry["state"] = .string(state.name)
        switch lookup {
        case .name(let name)?: entry["name"] = .string(name)
        default: entry["name"] = .null
        }
        switch comparison {
        case .winner, .same: entry["same_as_winner"] = .bool(true)
        case .differs: entry["same_as_winner"] = .bool(false)
        case .none, .cannotTell: entry["same_as_winner"] = .null
        }
        if comparison == .cannotTell { entry["cannot_tell"] = .bool(true) }
        if let reason = masking.reason(of: self, exactFailures: exactFailures) { entry["reason"] = .string(reason) }
        let hidden = record?.hiddenFields ?? .none
        if !hidden.isEmpty { entry["hidden"] = .array(hidden.names.map { .string($0) }) }
        if includeDetail {
            entry["label"] = .string(label)
            if case .present(let value) = state {
                switch value {
                case .variable(let text): entry["value"] = hidden.hides("value") ? .null : .string(masking.variable(text))
                case .connection(let connection): entry["connection"] = masking.connection(connection.blankingHidden(hidden)).jsonFields()
                }
            }
            if let record, !record.metadata.isEmpty {
                entry["metadata"] = .object(JSONObject(record.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            }
        }
        return .object(entry)
    }
}

extension Connection {
    /// `{"conn_type","host","login","password","schema","port","extra","description"}`, with
    /// every field typed as Airflow holds it.
    func jsonFields() -> JSONValue {
        var object = JSONObject()
        let typed: [String: JSONValue] = [
            "conn_type": connType.map { .string($0) } ?? .null,
            "host": host.map { .string($0) } ?? .null,
            "login": login.map { .string($0) } ?? .null,
            "password": password.map { .string($0) } ?? .null,
            "schema": schema.map { .string($0) } ?? .null,
            "port": port.map { .integer(String($0)) } ?? .null,
            "extra": extra.map { .string($0) } ?? .null,
            "description": description.map { .string($0) } ?? .null,
        ]
        for field in Connection.fieldNames {
            object[field] = verbatim[field] ?? typed[field] ?? .null
        }
        return .object(object)
    }
}

extension Connection {
    /// This connection with each field its source hid set to null (a hidden extra key's value
    /// too), so that `--json` never shows a mask as if it were a value.
    func blankingHidden(_ hidden: HiddenFields) -> Connection {
        guard !hidden.isEmpty else { return self }
        var copy = self
        if hidden.hides("password") { copy.password = nil }
        if hidden.hides("extra") {
            copy.extra = nil
        } else if let extra, !hidden.extraPaths.isEmpty, var document = try? JSONValue.parsePython(extra) {
            for path in hidden.extraPaths { document = document.replacingLeaf(at: path[...], with: .null) }
            copy.extra = document.pythonDumps()
        }
        return copy
    }
}
