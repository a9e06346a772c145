import Engine
/// Makes the writers of a deployment's tiers. The Engine's own factory writes the local tiers
/// (env files, local secret files, `airflow_settings.yaml`); the `Backends` module adds the
/// metastore and the remote services; tests inject their own.
public protocol TierWriterFactory: Sendable {
    /// One slot per tier of `deployment` in `context`: a writer, or why there is none.
    func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot]
}

/// One tier's writer, or the reason it cannot be written.
public struct TierWriterSlot: Sendable {
    public var descriptor: TierDescriptor
    public var writer: (any TierWriter)?
    /// Set when `writer` is nil: "read-only deployment", "no metastore given"…
    public var unavailableReason: String?

    public var tier: TierID { descriptor.tier }

    public init(writer: any TierWriter) {
        self.descriptor = writer.descriptor
        self.writer = writer
        self.unavailableReason = nil
    }

    public init(unavailable descriptor: TierDescriptor, reason: String) {
        self.descriptor = descriptor
        self.writer = nil
        self.unavailableReason = reason
    }
}
