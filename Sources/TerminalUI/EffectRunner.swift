import Engine
import Foundation
import ViewModel

/// Performs the reducer's I/O effects in background tasks and posts their results to the mailbox.
/// Tiers load concurrently; each result is posted as it arrives, so a dead tier holds up nothing.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class EffectRunner: @unchecked Sendable {
    private let mailbox: Mailbox
    private let loader: DeploymentLoader
    private let context: LookupContext
    private let backendInfo: @Sendable (Deployment) -> BackendPaneInfo
    private let log: LogFile
    private let writerFactory: (any TierWriterFactory)?
    private let reloadDeployments: (@Sendable () -> [Deployment]?)?
    private let lock = NSLock()
    private var loadTask: Task<Void, Never>?
    private var resolving = false
    private var pendingResolve: (DeploymentState, Int, Int)?
    /// Deployments loaded before: loading one again (`R`, after a save) reads the workspace
    /// again first, since env files are read when the workspace loads.
    private var loadedNames = Set<String>()

    init(mailbox: Mailbox, loader: DeploymentLoader, context: LookupContext,
         backendInfo: @escaping @Sendable (Deployment) -> BackendPaneInfo, log: LogFile,
         writerFactory: (any TierWriterFactory)? = nil, reloadDeployments: (@Sendable () -> [Deployment]?)? = nil) {
        self.writerFactory = writerFactory
        self.reloadDeployments = reloadDeployments
        self.mailbox = mailbox
        self.loader = loader
        self.context = context
        self.backendInfo = backendInfo
        self.log = log
    }

    func load(_ requested: Deployment, generation: Int) {
        lock.lock()
        loadTask?.cancel()
        let mailbox = mailbox, loader = loader, context = context, backendInfo = backendInfo, log = log
        let writerFactory = writerFactory, reloadDeployments = reloadDeployments
        let again = !loadedNames.insert(requested.name).inserted
        loadTask = Task.detached {
            let deployment = again ? (reloadDeployments?()?.first { $0.name == requested.name } ?? requested) : requested
            log.write("loading deployment \(InertText.make(deployment.name)) (generation \(generation))")
            let (initial, updates) = loader.start(deployment, context: context)
            mailbox.post(.deploymentStarted(generation: generation, state: initial, backend: backendInfo(deployment)))
            let slots = writerFactory?.makeWriters(for: deployment, context: context)
                ?? initial.chain.map { TierWriterSlot(unavailable: initial.descriptors[$0] ?? TierDescriptor(tier: $0, label: $0.rawValue),
                                                      reason: "this build of Strata writes no tier") }
            mailbox.post(.writersReady(generation: generation, slots: slots))
            for await (tier, state) in updates {
                if Task.isCancelled { break }
                switch state {
                case .loaded(let loaded):
                    log.write("tier \(tier.rawValue): \(loaded.snapshot.records.count) entries in \(loaded.latency)")
                case .failed(let reason):
                    log.write("tier \(tier.rawValue) failed: \(InertText.make(reason))")
                default: break
                }
                mailbox.post(.tierLoaded(generation: generation, tier: tier, state: state))
            }
        }
        lock.unlock()
    }

    /// Resolves off the terminal thread. Requests that arrive while one runs are coalesced:
    /// only the newest is worth computing.
    func resolve(_ state: DeploymentState, generation: Int, sequence: Int) {
        lock.lock()
        if resolving {
            pendingResolve = (state, generation, sequence)
            lock.unlock()
            return
        }
        resolving = true
        lock.unlock()
        Task.detached { [self] in
            var job: (DeploymentState, Int, Int)? = (state, generation, sequence)
            while let (state, generation, sequence) = job {
                let resolutions = state.resolveAll()
                mailbox.post(.resolved(generation: generation, sequence: sequence, entries: resolutions.map(Entry.init)))
                job = lock.withLock {
                    let next = pendingResolve
                    pendingResolve = nil
                    if next == nil { resolving = false }
                    return next
                }
            }
        }
    }

    /// Loads every tier of each deployment (concurrently) for `:compare` and posts the resolutions.
    func loadComparison(_ deployments: [Deployment], request: Int) {
        let mailbox = mailbox, loader = loader, context = context, log = log
        Task.detached {
            log.write("comparing deployments \(deployments.map { InertText.make($0.name) }.joined(separator: ", "))")
            let results = await withTaskGroup(of: (Int, DeploymentResolutions).self) { group in
                for (index, deployment) in deployments.enumerated() {
                    group.addTask { (index, DeploymentResolutions(await loader.loadAll(deployment, context: context))) }
                }
                var results: [(Int, DeploymentResolutions)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            mailbox.post(.comparisonLoaded(request: request, results: results))
        }
    }

    /// Applies a checked plan through the writers (each write verified and logged by the
    /// executor), reads the workspace again, and posts `.editsApplied`.
    func applyEdits(_ plan: EditPlan, writers: [TierWriterSlot]) {
        let mailbox = mailbox, log = log, reloadDeployments = reloadDeployments
        Task.detached {
            log.write("saving \(plan.writes.count) staged change(s) to \(InertText.make(plan.deploymentName))")
            let outcomes = await EditExecutor(writers: writers).apply(plan)
            for outcome in outcomes {
                // Names and kinds only: error messages never hold values.
                let result = outcome.succeeded ? "ok" : outcome.error.map { $0.kind.rawValue } ?? "unchanged"
                log.write("save \(InertText.make(outcome.planned.change.key.description)) → \(outcome.planned.target.rawValue): \(result)")
            }
            let deployments = outcomes.contains(where: \.succeeded) ? reloadDeployments?() : nil
            mailbox.post(.editsApplied(outcomes: outcomes, deployments: deployments))
        }
    }

    func cancelAll() {
        lock.lock()
        loadTask?.cancel()
        lock.unlock()
    }
}
