import Engine

extension CopyItems {
    /// What one tier of a loaded deployment holds, key by key, in key order. Empty variables
    /// are values (Airflow returns ""); an empty connection is not.
    public static func fromTier(_ tier: TierID, of state: DeploymentState) -> CopyItems {
        let origin = state.descriptors[tier]?.label ?? tier.rawValue
        var result = CopyItems()
        for resolution in state.resolveAll() {
            guard let row = resolution.tiers.first(where: { $0.tier == tier }) else { continue }
            result.add(row, key: resolution.key, origin: origin)
        }
        return result
    }

    /// The values the deployment resolves, each from the tier that supplies it.
    public static func resolved(from state: DeploymentState) -> CopyItems {
        var result = CopyItems()
        for resolution in state.resolveAll() {
            if let row = resolution.winning {
                result.add(row, key: resolution.key, origin: row.label)
            } else if let row = resolution.tiers.first(where: { if case .unreadable = $0.state { return true } else { return false } }) {
                result.add(row, key: resolution.key, origin: row.label)
            }
        }
        return result
    }

    private mutating func add(_ row: TierResolution, key: SecretKey, origin: String) {
        let hidden = row.record?.hiddenFields ?? .none
        switch row.state {
        case .present(.variable(let text)):
            items.append(CopyItem(key: key, value: .variable(text, description: row.record?.metadataValue(forKey: "description")),
                                  hidden: hidden, origin: origin))
        case .empty where key.kind == .variable:
            items.append(CopyItem(key: key, value: .variable("", description: row.record?.metadataValue(forKey: "description")),
                                  hidden: hidden, origin: origin))
        case .present(.connection(let connection)):
            items.append(CopyItem(key: key, value: .connection(connection), hidden: hidden, origin: origin))
        case .unreadable(let reason):
            problems.append(CopyProblem(key: key, reason: reason))
        default:
            break
        }
    }
}
