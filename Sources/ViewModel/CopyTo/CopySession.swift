import Editing
import Engine

/// A copy from the picker's choice on: the values taken, the target as loaded, the conflict
/// policy, the plan, and — while and after it is applied — the progress and what each key did.
/// Holds values only inside `items` and the plan's checked writes; the view shows neither.
public struct CopySession: Sendable, Equatable {
    /// The marked keys' values as the source deployment resolves them.
    public var items: CopyItems
    /// Marked keys with no value in any tier: nothing to copy for them.
    public var missing: [SecretKey] = []
    public var sourceDeployment: String
    /// Said in the plan: where the values come from.
    public var sourceLabel: String
    public var target: CopyTargetDeployment
    public var targetTier: TierID
    public var policy: ConflictPolicy = .fail
    public var plan: CopyPlan
    /// Bumped with each apply, so progress of an earlier one is ignored.
    public var request = 0
    public var isApplying = false
    /// Keys done and keys to do while applying.
    public var progress: (done: Int, total: Int)?
    /// What applying did, key by key, checked against the target read again; nil until applied.
    public var outcomes: [CopyOutcome]?
    public var scroll = 0

    public init(items: CopyItems, sourceDeployment: String, sourceLabel: String, target: CopyTargetDeployment,
                targetTier: TierID, plan: CopyPlan) {
        self.items = items
        self.sourceDeployment = sourceDeployment
        self.sourceLabel = sourceLabel
        self.target = target
        self.targetTier = targetTier
        self.plan = plan
    }

    public static func == (lhs: CopySession, rhs: CopySession) -> Bool {
        lhs.items == rhs.items && lhs.missing == rhs.missing && lhs.sourceDeployment == rhs.sourceDeployment && lhs.sourceLabel == rhs.sourceLabel
            && lhs.target == rhs.target && lhs.targetTier == rhs.targetTier && lhs.policy == rhs.policy
            && lhs.plan == rhs.plan && lhs.request == rhs.request && lhs.isApplying == rhs.isApplying
            && lhs.progress?.done == rhs.progress?.done && lhs.progress?.total == rhs.progress?.total
            && lhs.outcomes == rhs.outcomes && lhs.scroll == rhs.scroll
    }

    /// The keys that write when applied.
    public var work: [CopyStep] { plan.steps.filter(\.writes) }
}
