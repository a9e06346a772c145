import Engine

/// What applying one step of a copy did.
public struct CopyOutcome: Sendable, Equatable {
    public var step: CopyStep
    /// The target write's receipt; nil when nothing was written.
    public var receipt: WriteReceipt?
    /// Why the write, or the delete of a move, failed.
    public var error: EditError?
    /// The key was deleted from the source after its copy was verified.
    public var moved: Bool
    /// Set after the deployment is read again when the key does not resolve as the plan
    /// promised. Never holds a value.
    public var verificationProblem: String?

    public init(step: CopyStep, receipt: WriteReceipt? = nil, error: EditError? = nil, moved: Bool = false) {
        self.step = step
        self.receipt = receipt
        self.error = error
        self.moved = moved
    }

    /// The key holds the planned value in the target (written or already there) and nothing failed.
    public var succeeded: Bool { error == nil && step.landsInTarget && verificationProblem == nil }
}
