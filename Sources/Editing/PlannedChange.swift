import Engine
/// A staged change checked against the deployment as loaded: where it goes, what it alters,
/// whether Airflow will read it, and whether it may be applied at all.
public struct PlannedChange: Sendable, Equatable {
    public var change: TierChange
    public var target: TierID
    /// The target tier's label ("HashiCorp Vault", "environment (.env)"…).
    public var targetLabel: String
    /// The exact name written; nil when the tier never holds the key.
    public var name: String?
    /// What the target tier holds now; `apply` refuses when this is no longer so.
    public var base: EntryState
    /// The fields that change, for a masked diff.
    public var fields: [FieldChange]
    /// The tier Airflow will read the key from afterwards (nil: no tier supplies it).
    public var winnerAfter: TierID?
    /// Its label.
    public var winnerAfterLabel: String?
    /// Things to tell before writing ("the backend value shadows it"…).
    public var warnings: [String]
    /// Why the change cannot be applied; nil when it can.
    public var refusal: EditError?
    /// The change would leave the tier as it is, so nothing is written.
    public var isNoOp: Bool

    /// Whether applying would write anything.
    public var willWrite: Bool { refusal == nil && !isNoOp }

    /// Whether the value written is the one Airflow will return.
    public var takesEffect: Bool {
        change.newValue != nil ? winnerAfter == target : true
    }
}

/// Everything staged for one deployment, checked.
public struct EditPlan: Sendable, Equatable {
    public var deploymentName: String
    public var changes: [PlannedChange]

    public init(deploymentName: String, changes: [PlannedChange]) {
        self.deploymentName = deploymentName
        self.changes = changes
    }

    /// The changes that will be written.
    public var writes: [PlannedChange] { changes.filter(\.willWrite) }
    /// The changes that cannot be.
    public var refusals: [PlannedChange] { changes.filter { $0.refusal != nil } }
}
