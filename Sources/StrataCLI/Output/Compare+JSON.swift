import Engine
import PythonCompat

extension TierValue {
    func json(masking: Masking) -> JSONValue {
        switch self {
        case .variable(let text): return .string(masking.variable(text))
        case .connection(let connection): return masking.connection(connection).jsonFields()
        }
    }
}

extension TierMatrix {
    func json(masking: Masking) -> JSONValue {
        .object(JSONObject([
            ("tiers", .array(tiers.map { .string($0.rawValue) })),
            ("rows", .array(rows.map { row in
                .object(JSONObject([
                    ("kind", .string(row.key.kind.rawValue)),
                    ("id", .string(row.key.id)),
                    ("winner", row.winner.map { .string($0.rawValue) } ?? .null),
                    ("collisions", .array(row.collisions.map { .string($0) })),
                    ("cells", .array(row.cells.map { cell in
                        var object = JSONObject()
                        object["tier"] = .string(cell.tier.rawValue)
                        object["state"] = .string(cell.state.rawValue)
                        object["name"] = cell.name.map { .string($0) } ?? .null
                        object["fingerprint"] = cell.fingerprint.map { .string($0) } ?? .null
                        object["differing_fields"] = .array(cell.differingFields.map { .string($0.description) })
                        if let reason = cell.reason { object["reason"] = .string(reason) }
                        if masking == .revealed, let value = cell.value { object["value"] = value.json(masking: masking) }
                        return .object(object)
                    })),
                ]))
            })),
        ]))
    }
}

extension DeploymentComparison {
    func json(masking: Masking) -> JSONValue {
        .object(JSONObject([
            ("deployments", .array(deployments.map { .string($0) })),
            ("rows", .array(rows.map { row in
                .object(JSONObject([
                    ("kind", .string(row.key.kind.rawValue)),
                    ("id", .string(row.key.id)),
                    ("cells", .array(row.cells.map { cell in
                        var object = JSONObject()
                        object["deployment"] = .string(cell.deployment)
                        object["state"] = .string(cell.state.rawValue)
                        object["winner"] = cell.winner.map { .string($0.rawValue) } ?? .null
                        object["fingerprint"] = cell.fingerprint.map { .string($0) } ?? .null
                        object["differing_fields"] = .array(cell.differingFields.map { .string($0.description) })
                        if masking == .revealed, let value = cell.value { object["value"] = value.json(masking: masking) }
                        return .object(object)
                    })),
                ]))
            })),
        ]))
    }
}
