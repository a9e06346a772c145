import Engine

/// Applies a copy plan: each key written through the target tier's guarded writer (check-and-set,
/// read-back), and for a move deleted from the source only once its copy is verified — so an
/// interruption at any moment leaves every key in the source, or in both, never in neither.
public struct CopyExecutor: Sendable {
    public var targetWriters: [TierWriterSlot]
    /// The source deployment's writers, for the deletes of a move.
    public var sourceWriters: [TierWriterSlot]
    public var log: OperationLog
    /// How many keys are written at once when every tier written accepts parallel writes.
    public var concurrency: Int
    /// Whether the caller re-resolves the target and verifies every key once the plan is
    /// applied (`CopyPlanner.verify`). A copy that deletes nothing then lets writers skip their
    /// per-key read-back; a move keeps it, since each delete waits for its key's own check.
    public var verifiesAfterwards: Bool

    public init(targetWriters: [TierWriterSlot], sourceWriters: [TierWriterSlot] = [],
                log: OperationLog = .session, concurrency: Int = 16, verifiesAfterwards: Bool = false) {
        self.targetWriters = targetWriters
        self.sourceWriters = sourceWriters
        self.log = log
        self.concurrency = max(1, concurrency)
        self.verifiesAfterwards = verifiesAfterwards
    }

    /// Applies every step of `plan` that writes, or that moves a key already in the target.
    /// A blocked plan (`--on-conflict fail` with a differing key) writes nothing. `progress`
    /// is called with (steps done, steps to do) as keys finish.
    public func apply(_ plan: CopyPlan, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async -> [CopyOutcome] {
        guard !plan.isBlocked else { return plan.steps.map { CopyOutcome(step: $0) } }
        let work = plan.steps.indices.filter { index in
            let step = plan.steps[index]
            return step.writes || (step.action == .unchanged && step.sourceDelete != nil)
        }
        var outcomes = plan.steps.map { CopyOutcome(step: $0) }
        let parallel = writesInParallel(plan) ? concurrency : 1
        var done = 0
        progress(0, work.count)
        await withTaskGroup(of: (Int, CopyOutcome).self) { group in
            var next = work.makeIterator()
            func startNext() -> Bool {
                guard let index = next.next() else { return false }
                let step = plan.steps[index]
                group.addTask { (index, await self.apply(step, to: plan)) }
                return true
            }
            for _ in 0..<parallel where !startNext() { break }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                done += 1
                progress(done, work.count)
                _ = startNext()
            }
        }
        return outcomes
    }

    private func writesInParallel(_ plan: CopyPlan) -> Bool {
        let target = targetWriters.first { $0.tier == plan.targetTier }?.writer
        guard target?.writesInParallel == true else { return false }
        guard plan.moves else { return true }
        let sourceTiers = Set(plan.steps.compactMap { $0.sourceDelete?.target })
        return sourceTiers.allSatisfy { tier in sourceWriters.first { $0.tier == tier }?.writer?.writesInParallel == true }
    }

    /// Copies one key and, for a move, deletes it from the source after the copy is verified.
    func apply(_ step: CopyStep, to plan: CopyPlan) async -> CopyOutcome {
        var outcome = CopyOutcome(step: step)
        if Task.isCancelled {
            outcome.error = EditError(.failed, "\(step.key) was not copied: the copy was cancelled first. Run the same command again to finish.")
            return outcome
        }
        if step.writes, var write = step.write {
            if verifiesAfterwards && step.sourceDelete == nil { write.change.verification = .byCaller }
            let result = await EditExecutor(writers: targetWriters, log: log).apply(write)
            outcome.receipt = result.receipt
            outcome.error = result.error
            guard result.succeeded else { return outcome }
        } else if step.action == .unchanged, step.sourceDelete != nil {
            // Planned from the state as loaded: read the target again before deleting anything.
            if let problem = await confirmHeld(step) {
                outcome.error = EditError(.conflict, problem)
                return outcome
            }
        }
        if let delete = step.sourceDelete {
            let result = await EditExecutor(writers: sourceWriters, log: log).apply(delete)
            if let error = result.error {
                outcome.error = EditError(error.kind, "\(step.key) was copied but not deleted from \(delete.targetLabel): \(error.message) "
                                          + "Both tiers hold it now; run the same command again to finish the move.")
            } else {
                outcome.moved = true
            }
        }
        return outcome
    }

    /// Nil when the target holds the step's value right now; else why the move stops.
    private func confirmHeld(_ step: CopyStep) async -> String? {
        guard let write = step.write, let value = write.change.newValue,
              let writer = targetWriters.first(where: { $0.tier == write.target })?.writer else {
            return "\(step.key) cannot be checked in the target; it was left in the source."
        }
        let held: EntryState
        do { held = try await writer.read(step.key) } catch {
            return "\(step.key) could not be read back from \(write.targetLabel) (\(EditExecutor.describe(error))); it was left in the source."
        }
        switch held {
        case .present(let stored) where stored.holdsSameValue(as: value.tierValue): return nil
        case .empty where value.tierValue.isEmptyValue: return nil
        default: return "\(step.key) in \(write.targetLabel) changed since Strata read it; it was left in the source. Run the copy again."
        }
    }
}
