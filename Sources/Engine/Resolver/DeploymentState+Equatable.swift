/// Two states are equal when they hold the same tiers with the same contents. Namers are left
/// out: they are functions, derived from the same sources the descriptors describe.
extension DeploymentState: Equatable {
    public static func == (lhs: DeploymentState, rhs: DeploymentState) -> Bool {
        lhs.deployment == rhs.deployment && lhs.context == rhs.context && lhs.chain == rhs.chain
            && lhs.descriptors == rhs.descriptors && lhs.tiers == rhs.tiers
            && lhs.unconfigured == rhs.unconfigured && lhs.exactFailureReasons == rhs.exactFailureReasons
            && Set(lhs.namers.keys) == Set(rhs.namers.keys)
    }
}

/// Loaded tiers are equal when they loaded the same snapshot, described alike, as fast; the
/// name index is built from the snapshot, and the source is what produced it.
extension LoadedTier: Equatable {
    public static func == (lhs: LoadedTier, rhs: LoadedTier) -> Bool {
        lhs.descriptor == rhs.descriptor && lhs.snapshot == rhs.snapshot && lhs.latency == rhs.latency
    }
}
