import Engine

/// Everything a copy will do, key by key, before anything is written.
public struct CopyPlan: Sendable, Equatable {
    /// The target deployment's name and the target tier's label.
    public var targetDeployment: String
    public var targetLabel: String
    public var targetTier: TierID
    /// The source, said in the plan ("metastore of staging", "conns.json").
    public var sourceLabel: String
    public var steps: [CopyStep]
    /// Keys the source holds but cannot give (they do not parse, cannot be decrypted…).
    public var problems: [CopyProblem]
    public var policy: ConflictPolicy
    /// Keys are deleted from the source once their copy is verified.
    public var moves: Bool

    /// Whether the plan stops before writing anything: `--on-conflict fail` and a key differs.
    public var isBlocked: Bool {
        steps.contains { $0.action == .conflict(skipped: false) }
    }

    /// The steps that write to the target when applied.
    public var writes: [CopyStep] { steps.filter(\.writes) }

    /// How many steps take each action, for the summary line.
    public func count(_ name: String) -> Int { steps.filter { $0.actionName == name }.count }
}
