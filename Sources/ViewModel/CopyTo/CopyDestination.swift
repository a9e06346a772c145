import Engine

/// One place the copy picker offers: a tier of the active deployment, or `DEPLOYMENT:TIER` of
/// another one, with why it cannot be chosen when it cannot.
public struct CopyDestination: Sendable, Hashable {
    public var deployment: String
    public var tier: TierID
    /// The tier's label ("environment (.env)", "AWS Secrets Manager").
    public var label: String
    /// A tier of the deployment being browsed.
    public var isActiveDeployment: Bool
    /// Why it cannot be written ("read-only deployment", "could not be read: …"); nil when it can.
    public var unavailable: String?

    public init(deployment: String, tier: TierID, label: String, isActiveDeployment: Bool, unavailable: String? = nil) {
        self.deployment = deployment
        self.tier = tier
        self.label = label
        self.isActiveDeployment = isActiveDeployment
        self.unavailable = unavailable
    }

    /// `backend` for the active deployment, `prod:backend` for another, as `strata copy --to` says it.
    public var address: String { isActiveDeployment ? tier.rawValue : deployment + ":" + tier.rawValue }
}
