import Engine

/// `C`'s picker: the keys to copy, the other deployments loaded (or still loading) so their
/// tiers can be offered, and the cursor.
public struct CopyTargetPicker: Sendable, Equatable {
    public var keys: [SecretKey]
    /// The tier every key is read from now, when they share one: not offered, copying there changes nothing.
    public var ownTier: TierID?
    /// Matches the `.loadCopyTargets` this picker asked for, so late answers of an earlier one are ignored.
    public var request: Int
    /// Other deployments still loading, by name.
    public var loading: [String]
    public var loaded: [CopyTargetDeployment] = []
    public var cursor = 0

    public init(keys: [SecretKey], ownTier: TierID?, request: Int, loading: [String]) {
        self.keys = keys
        self.ownTier = ownTier
        self.request = request
        self.loading = loading
    }
}
