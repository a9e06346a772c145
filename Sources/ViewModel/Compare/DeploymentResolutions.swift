import Engine

/// One deployment's resolutions, loaded for a `:compare` of several deployments.
public struct DeploymentResolutions: Sendable {
    public var name: String
    public var resolutions: [Resolution]
    /// Tiers that could not be read, as "tier: reason", so the view can say the comparison is partial.
    public var failures: [String]

    public init(name: String, resolutions: [Resolution], failures: [String] = []) {
        self.name = name
        self.resolutions = resolutions
        self.failures = failures
    }

    /// Resolves a fully loaded deployment.
    public init(_ state: DeploymentState) {
        let failures = state.chain.compactMap { tier -> String? in
            if case .failed(let reason)? = state.tiers[tier] { return "\(tier.rawValue): \(reason)" }
            return nil
        }
        self.init(name: state.deployment.name, resolutions: state.resolveAll(), failures: failures)
    }
}
