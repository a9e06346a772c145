import Engine

/// Exit codes CI can trust: an answer that is missing a configured tier is not a success.
enum UnreadableTierCheck {
    /// Writes one stderr line per configured tier of `states` that could not be read (tier,
    /// deployment and reason), and returns whether the command must exit 1 for them.
    static func report(_ states: [DeploymentState], masking: Masking, allowUnavailable: Bool) -> Bool {
        var any = false
        for state in states {
            for (tier, reason) in state.unreadableTiers {
                any = true
                let label = state.descriptors[tier]?.label ?? tier.rawValue
                let shown = masking.failureReason(reason, of: tier, in: state)
                printError("strata: deployment \(InertText.make(state.deployment.name)): the \(tier.rawValue) tier "
                           + "(\(InertText.make(label))) could not be read: \(InertText.make(shown))"
                           + (allowUnavailable ? "" : " (exit 1; --allow-unavailable accepts it)"))
            }
        }
        return any && !allowUnavailable
    }
}
