import Editing
import Engine
import Foundation

/// Performs the reducer's effects that reach the world — loading and resolving deployments,
/// comparisons, saves — and posts their results as actions, in the order they were asked for.
/// The terminal and the tests run this same runner; only the `AppEnvironment` differs. The
/// effects that are the front end's own (clipboard, theme, external editor, quit) are left to it.
///
/// Each effect runs as a job with an id; a new load cancels the load it replaces, a new
/// comparison the one before, and resolves asked for while one runs are coalesced to the newest.
public actor EffectRunner {
    private let environment: any AppEnvironment
    private let context: LookupContext
    private let post: @Sendable (AppAction) -> Void
    private let log: @Sendable (String) -> Void
    private let effects: AsyncStream<AppEffect>.Continuation
    private let pending = PendingJobs()
    private var nextJob = 0
    private var jobs: [Int: Task<Void, Never>] = [:]
    private var loadJob: Int?
    private var comparisonJob: Int?
    private var copyTargetsJob: Int?
    private var resolving = false
    private var pendingResolve: (state: DeploymentState, generation: Int, sequence: Int)?
    /// Deployments loaded before: loading one again (`R`, after a save) reads the workspace
    /// again first, since env files are read when the workspace loads.
    private var loadedNames = Set<String>()
    private var operationsSeen = 0

    /// A runner whose results go to `post` and whose log lines go to `log` (names, counts and
    /// reasons only; never a value).
    public init(environment: any AppEnvironment, context: LookupContext,
                log: @escaping @Sendable (String) -> Void = { _ in }, post: @escaping @Sendable (AppAction) -> Void) {
        self.environment = environment
        self.context = context
        self.log = log
        self.post = post
        let (stream, continuation) = AsyncStream<AppEffect>.makeStream()
        effects = continuation
        let pending = pending
        // The one consumer: effects start in the order they were submitted.
        Task { [weak self] in
            for await effect in stream {
                await self?.start(effect)
                pending.finish()
            }
        }
    }

    /// Queues `effect` if it is the runner's to perform; false for the front end's own effects.
    /// Callable from any thread, in order: the terminal's loop and the tests call it as the reducer returns effects.
    public nonisolated func submit(_ effect: AppEffect) -> Bool {
        switch effect {
        case .loadDeployment, .resolve, .loadComparison, .applyEdits, .testConnection, .loadCopyTargets, .applyCopy:
            pending.begin()
            effects.yield(effect)
            return true
        case .copyToClipboard, .applyTheme, .editExternally, .quit:
            return false
        }
    }

    /// Returns once every submitted effect and every job it started has finished (for tests;
    /// a load whose tiers never answer keeps it waiting).
    public nonisolated func waitUntilIdle() async {
        while !pending.isIdle { try? await Task.sleep(for: .milliseconds(1)) }
    }

    /// Cancels every running job (when the app quits).
    public func cancelAll() {
        for job in jobs.values { job.cancel() }
    }

    private func start(_ effect: AppEffect) {
        switch effect {
        case .loadDeployment(let deployment, let generation):
            if let loadJob { jobs[loadJob]?.cancel() }
            let again = !loadedNames.insert(deployment.name).inserted
            loadJob = spawn { runner in await runner.load(deployment, generation: generation, again: again) }
        case .resolve(let state, let generation, let sequence):
            if resolving {
                pendingResolve = (state, generation, sequence)
            } else {
                resolving = true
                spawn { runner in await runner.resolveUntilCaughtUp((state, generation, sequence)) }
            }
        case .loadComparison(let deployments, let request):
            if let comparisonJob { jobs[comparisonJob]?.cancel() }
            comparisonJob = spawn { runner in await runner.compare(deployments, request: request) }
        case .applyEdits(let plan, let writers):
            // Never cancelled: a save that started finishes and is verified.
            spawn { runner in await runner.apply(plan, writers: writers) }
        case .testConnection(let deployment, let id, let connection):
            spawn { runner in await runner.test(id, connection, in: deployment) }
        case .loadCopyTargets(let deployments, let request):
            if let copyTargetsJob { jobs[copyTargetsJob]?.cancel() }
            copyTargetsJob = spawn { runner in await runner.loadCopyTargets(deployments, request: request) }
        case .applyCopy(let plan, let planner, let deployment, let request):
            // Never cancelled but by quitting: keys not started then say so, nothing is half-written.
            spawn { runner in await runner.applyCopy(plan, planner: planner, deployment: deployment, request: request) }
        case .copyToClipboard, .applyTheme, .editExternally, .quit:
            break
        }
    }

    /// Starts `body` as a job; the runner is idle again once it ends.
    @discardableResult
    private func spawn(_ body: @escaping @Sendable (EffectRunner) async -> Void) -> Int {
        nextJob += 1
        let id = nextJob
        pending.begin()
        jobs[id] = Task {
            await body(self)
            self.jobEnded(id)
        }
        return id
    }

    private func jobEnded(_ id: Int) {
        jobs[id] = nil
        if loadJob == id { loadJob = nil }
        if comparisonJob == id { comparisonJob = nil }
        if copyTargetsJob == id { copyTargetsJob = nil }
        pending.finish()
    }

    // MARK: - Jobs (they run off the actor except where they touch its state)

    private nonisolated func load(_ requested: Deployment, generation: Int, again: Bool) async {
        let deployment = again ? (environment.reloadDeployments()?.first { $0.name == requested.name } ?? requested) : requested
        log("loading deployment \(InertText.make(deployment.name)) (generation \(generation))")
        let (initial, updates) = environment.startLoading(deployment, context: context)
        post(.deploymentStarted(generation: generation, state: initial, backend: environment.backendInfo(for: deployment)))
        let slots = environment.writers(for: deployment, context: context)
            ?? initial.chain.map { TierWriterSlot(unavailable: initial.descriptors[$0] ?? TierDescriptor(tier: $0, label: $0.rawValue),
                                                  reason: "this build of Strata writes no tier") }
        post(.writersReady(generation: generation, slots: slots))
        for await (tier, state) in updates {
            if Task.isCancelled { break }
            switch state {
            case .loaded(let loaded):
                log("tier \(tier.rawValue): \(loaded.snapshot.records.count) entries in \(loaded.latency)")
            case .failed(let reason):
                log("tier \(tier.rawValue) failed: \(InertText.make(reason))")
            default: break
            }
            post(.tierLoaded(generation: generation, tier: tier, state: state))
            await postOperationsIfChanged()
        }
    }

    private nonisolated func resolveUntilCaughtUp(_ first: (DeploymentState, Int, Int)) async {
        var job: (state: DeploymentState, generation: Int, sequence: Int)? = first
        while let (state, generation, sequence) = job {
            let entries = state.resolveAll().map(Entry.init)
            post(.resolved(generation: generation, sequence: sequence, entries: entries))
            job = await nextResolve()
        }
    }

    private func nextResolve() -> (state: DeploymentState, generation: Int, sequence: Int)? {
        let next = pendingResolve
        pendingResolve = nil
        if next == nil { resolving = false }
        return next
    }

    private nonisolated func compare(_ deployments: [Deployment], request: Int) async {
        log("comparing deployments \(deployments.map { InertText.make($0.name) }.joined(separator: ", "))")
        let environment = environment, context = context
        let results = await withTaskGroup(of: (Int, DeploymentResolutions).self) { group in
            for (index, deployment) in deployments.enumerated() {
                group.addTask { (index, DeploymentResolutions(await environment.loadAll(deployment, context: context))) }
            }
            var results: [(Int, DeploymentResolutions)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        if Task.isCancelled { return }
        post(.comparisonLoaded(request: request, results: results))
        await postOperationsIfChanged()
    }

    /// Applies a checked plan through the writers (each write verified and logged by the
    /// executor), reads the workspace again, and posts `.editsApplied`.
    private nonisolated func apply(_ plan: EditPlan, writers: [TierWriterSlot]) async {
        log("saving \(plan.writes.count) staged change(s) to \(InertText.make(plan.deploymentName))")
        let outcomes = await EditExecutor(writers: writers, log: environment.operationLog).apply(plan)
        for outcome in outcomes {
            // Names and kinds only: error messages never hold values.
            let result = outcome.succeeded ? "ok" : outcome.error.map { $0.kind.rawValue } ?? "unchanged"
            log("save \(InertText.make(outcome.planned.change.key.description)) → \(outcome.planned.target.rawValue): \(result)")
        }
        await postOperationsIfChanged()
        let deployments = outcomes.contains(where: \.succeeded) ? environment.reloadDeployments() : nil
        post(.editsApplied(outcomes: outcomes, deployments: deployments))
    }

    /// Loads each deployment `C` may copy into, with its writers, posting each as it arrives.
    private nonisolated func loadCopyTargets(_ deployments: [Deployment], request: Int) async {
        log("loading \(deployments.count) deployment(s) to copy into")
        let environment = environment, context = context
        await withTaskGroup(of: CopyTargetDeployment.self) { group in
            for deployment in deployments {
                group.addTask {
                    let state = await environment.loadAll(deployment, context: context)
                    let writers = environment.writers(for: deployment, context: context)
                        ?? state.chain.map { TierWriterSlot(unavailable: state.descriptors[$0] ?? TierDescriptor(tier: $0, label: $0.rawValue),
                                                            reason: "this build of Strata writes no tier") }
                    return CopyTargetDeployment(state: state, writers: writers)
                }
            }
            for await target in group where !Task.isCancelled {
                post(.copyTargetLoaded(request: request, target: target))
            }
        }
        await postOperationsIfChanged()
    }

    /// Applies a copy plan as `strata copy` does: each key through the target tier's guarded
    /// writer (logged by the executor), then the target deployment read again from a fresh
    /// workspace and every key checked against it.
    private nonisolated func applyCopy(_ plan: CopyPlan, planner: CopyPlanner, deployment: Deployment, request: Int) async {
        log("copying \(plan.writes.count) key(s) to \(InertText.make(plan.targetLabel)) of \(InertText.make(plan.targetDeployment))")
        let post = post
        let executor = CopyExecutor(targetWriters: planner.targetWriters, log: environment.operationLog, verifiesAfterwards: true)
        var outcomes = await executor.apply(plan) { done, total in post(.copyProgress(request: request, done: done, total: total)) }
        for outcome in outcomes where outcome.step.writes {
            // Names and kinds only: error messages never hold values.
            let result = outcome.error.map { $0.kind.rawValue } ?? "ok"
            log("copy \(InertText.make(outcome.step.key.description)) → \(plan.targetTier.rawValue): \(result)")
        }
        await postOperationsIfChanged()
        let deployments = environment.reloadDeployments()
        let fresh = deployments?.first { $0.name == deployment.name } ?? deployment
        let reloaded = await environment.loadAll(fresh, context: context)
        outcomes = planner.verify(outcomes, against: reloaded)
        await postOperationsIfChanged()
        post(.copyApplied(request: request, outcomes: outcomes, reloaded: reloaded, deployments: deployments))
    }

    /// Asks the deployment's Airflow to test a connection and posts what it said.
    private nonisolated func test(_ id: String, _ connection: Connection, in deployment: Deployment) async {
        log("testing connection \(InertText.make(id)) through \(InertText.make(deployment.name))'s Airflow")
        let outcome = await environment.testConnection(id, connection, in: deployment)
        post(.connectionTested(id: id, outcome: outcome))
        await postOperationsIfChanged()
    }

    /// Posts the operations log when something was recorded since it was last posted: entries
    /// reach the state as actions, when the work that records them makes progress.
    private func postOperationsIfChanged() {
        let total = environment.operationLog.totalCount
        guard total != operationsSeen else { return }
        operationsSeen = total
        post(.operationsUpdated(environment.operationLog.entries))
    }
}

/// How many submitted effects and started jobs have not finished: what `waitUntilIdle` waits on.
///
/// `@unchecked Sendable`: its count is only read or written under its lock. It is counted
/// outside the actor because `submit` must count synchronously, before the effect is queued.
private final class PendingJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func begin() { lock.withLock { count += 1 } }
    func finish() { lock.withLock { count -= 1 } }
    var isIdle: Bool { lock.withLock { count == 0 } }
}
