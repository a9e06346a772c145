import Editing
import Engine

/// A change saved in the editor (or a confirmed delete) and not yet written.
public struct StagedEdit: Sendable, Hashable {
    public var change: TierChange
    public var tier: TierID

    public init(change: TierChange, tier: TierID) {
        self.change = change
        self.tier = tier
    }
}

/// What saving one staged change did. Holds names and messages, never values.
public struct SaveResult: Sendable, Hashable {
    public var key: SecretKey
    public var tierLabel: String
    public var succeeded: Bool
    /// "updated AIRFLOW_CONN_X in environment (.env)", "conflict: … changed since Strata read it…".
    public var message: String
}

/// Deleting an entry: the tier to delete it from, and the id typed to confirm.
public struct DeleteDialog: Sendable, Equatable {
    public var key: SecretKey
    /// The tiers that hold the key and can be written, in lookup order.
    public var tiers: [TierID]
    public var tierIndex = 0
    public var typed = TextField()
    public var error: String?

    public var tier: TierID? { tiers.indices.contains(tierIndex) ? tiers[tierIndex] : nil }
}
