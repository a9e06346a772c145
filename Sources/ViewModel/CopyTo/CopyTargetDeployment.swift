import Editing
import Engine

/// A deployment loaded to be copied into: every tier as read, and the writers of its tiers.
public struct CopyTargetDeployment: Sendable, Equatable {
    public var state: DeploymentState
    public var writers: [TierWriterSlot]

    public init(state: DeploymentState, writers: [TierWriterSlot]) {
        self.state = state
        self.writers = writers
    }

    public var name: String { state.deployment.name }
}
