import Engine

extension CopyPlanner {
    /// Checks each key the copy landed against the target deployment read again: the target
    /// tier holds the value, and Airflow reads the key from the tier the plan said. Sets
    /// `verificationProblem` on the outcomes that differ; messages name tiers, never values.
    public func verify(_ outcomes: [CopyOutcome], against reloaded: DeploymentState) -> [CopyOutcome] {
        let resolutions = reloaded.resolve(outcomes.filter { $0.error == nil && $0.step.landsInTarget }.map(\.step.key))
        return outcomes.map { outcome in
            var outcome = outcome
            guard outcome.error == nil, outcome.step.landsInTarget, let value = outcome.step.write?.change.newValue else { return outcome }
            guard let resolution = resolutions[outcome.step.key] else {
                // A write whose read-back was left to this check is unverified until it is made.
                outcome.verificationProblem = "\(targetLabel) could not be checked: the key is missing when the deployment is read again"
                return outcome
            }
            let row = resolution.tiers.first { $0.tier == targetTier }
            let label = row?.label ?? targetLabel
            let holds: Bool
            switch row?.state {
            case .present(let stored)?: holds = stored.holdsSameValue(as: value.tierValue)
            case .empty?: holds = value.tierValue.isEmptyValue
            default: holds = false
            }
            if !holds {
                outcome.verificationProblem = "\(label) does not hold the copied value when the deployment is read again"
            } else if let expected = outcome.step.expectedWinner, resolution.winner != expected {
                let now = resolution.winning?.label ?? "no tier"
                outcome.verificationProblem = "Airflow reads it from \(now), not \(reloaded.descriptors[expected]?.label ?? expected.rawValue) as planned"
            }
            return outcome
        }
    }
}
