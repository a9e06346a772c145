import ArgumentParser
import Engine
import PythonCompat

/// `strata deployments`: the deployments of the workspace.
struct DeploymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployments",
        abstract: "List the workspace's deployments."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON for scripts instead of a table.") var json = false

    func run() throws {
        let workspace = try global.loadWorkspace()
        let rows = workspace.deployments.map { deployment -> (Deployment, [TierSlot]) in
            (deployment, StrataRuntime.tierFactory.makeTiers(for: deployment, context: global.context))
        }
        if json {
            let entries: [JSONValue] = rows.map { deployment, slots in
                var entry = JSONObject()
                entry["name"] = .string(deployment.name)
                entry["airflow"] = .integer(String(deployment.airflowVersion.rawValue))
                entry["read_only"] = .bool(deployment.readOnly)
                entry["tiers"] = .array(slots.sorted { $0.tier.order < $1.tier.order }.map { slot in
                    var tier = JSONObject()
                    tier["tier"] = .string(slot.tier.rawValue)
                    tier["label"] = .string(slot.descriptor.label)
                    tier["detail"] = .string(slot.descriptor.detail)
                    tier["available"] = .bool(slot.source != nil)
                    if let reason = slot.unavailableReason { tier["reason"] = .string(reason) }
                    return .object(tier)
                })
                return .object(entry)
            }
            print(JSONWriter.render(.array(entries)))
            return
        }
        var table = TextTable(header: ["DEPLOYMENT", "AIRFLOW", "ACCESS", "TIERS"])
        for (deployment, slots) in rows {
            let tiers = slots.sorted { $0.tier.order < $1.tier.order }
                .map { "\($0.tier.rawValue): \($0.source == nil ? "–" : $0.descriptor.label)" }
                .joined(separator: " · ")
            table.add([deployment.name, String(deployment.airflowVersion.rawValue),
                       deployment.readOnly ? "read-only" : "read-write", tiers])
        }
        print(table.render())
    }
}

extension TierID {
    /// Lookup order, for listing tiers the way Airflow consults them.
    var order: Int {
        switch self {
        case .workersBackend: return 0
        case .backend: return 1
        case .env: return 2
        case .metastore: return 3
        }
    }
}
