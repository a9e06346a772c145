import Engine
import Foundation

/// Applies a checked plan, one change at a time, each through its tier's guarded writer, and
/// records every write in the operations log.
public struct EditExecutor: Sendable {
    public var writers: [TierWriterSlot]
    public var log: OperationLog

    public init(writers: [TierWriterSlot], log: OperationLog = .session) {
        self.writers = writers
        self.log = log
    }

    /// The outcome of one planned change.
    public struct Outcome: Sendable {
        public var planned: PlannedChange
        /// The receipt of a write; nil when nothing was written.
        public var receipt: WriteReceipt?
        /// Why it was not written or failed.
        public var error: EditError?

        /// Written and verified.
        public var succeeded: Bool { receipt != nil }
    }

    /// Applies every change of `plan` that may be written. A failure does not stop the
    /// changes after it: each is to its own key.
    public func apply(_ plan: EditPlan) async -> [Outcome] {
        var outcomes: [Outcome] = []
        for planned in plan.changes {
            outcomes.append(await apply(planned))
        }
        return outcomes
    }

    /// Applies one planned change.
    public func apply(_ planned: PlannedChange) async -> Outcome {
        if let refusal = planned.refusal { return Outcome(planned: planned, receipt: nil, error: refusal) }
        if planned.isNoOp { return Outcome(planned: planned, receipt: nil, error: nil) }
        guard let writer = writers.first(where: { $0.tier == planned.target })?.writer else {
            return Outcome(planned: planned, receipt: nil,
                           error: EditError(.unsupported, "\(planned.targetLabel) cannot be written."))
        }
        let kind: OperationLog.Entry.Kind = planned.change.newValue == nil ? .delete : .write
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let receipt = try await writer.apply(planned.change, expecting: planned.base)
            let version = receipt.version.map { " (version \($0))" } ?? ""
            log.record(.init(kind: kind, target: planned.targetLabel, name: "\(planned.change.key) → \(receipt.name)",
                             result: (receipt.created ? "created" : kind == .delete ? "deleted" : "updated") + version,
                             succeeded: true, duration: clock.now - start))
            return Outcome(planned: planned, receipt: receipt, error: nil)
        } catch {
            let editError = error as? EditError ?? EditError(.failed, "writing \(planned.change.key) to \(planned.targetLabel) failed: \(Self.describe(error))")
            log.record(.init(kind: kind, target: planned.targetLabel, name: "\(planned.change.key)",
                             result: editError.kind.rawValue, succeeded: false, duration: clock.now - start))
            return Outcome(planned: planned, receipt: nil, error: editError)
        }
    }

    /// A failure's message. Strata's own errors say what to do and hold no value; any other
    /// error is named by its type only, since its description may quote what was sent.
    static func describe(_ error: Error) -> String {
        if let error = error as? TierError { return error.message }
        if let error = error as? EditError { return error.message }
        if let error = error as? AirflowError { return "Airflow raises \(error.className)" }
        return "\(type(of: error))"
    }
}
