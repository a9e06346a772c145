import ArgumentParser
import Editing
import Engine
import Foundation

/// The path `strata copy` and `strata import` share: plan against the target as loaded, print
/// the plan, confirm, apply each key through the target tier's guarded writer (deleting from
/// the source after a verified copy for a move), read the target deployment again and check
/// every key resolves as planned.
struct CopyRun {
    var global: GlobalOptions
    var target: Deployment
    var targetState: DeploymentState
    var targetWriters: [TierWriterSlot]
    var targetTier: TierID
    var source: CopyPlanner.SourceTier?

    /// How the run behaves: the conflict policy, a move, a dry run, no prompt, JSON output.
    struct Options {
        var policy: ConflictPolicy
        var move: Bool
        var dryRun: Bool
        var assumeYes: Bool
        var json: Bool
        var concurrency: Int
    }

    /// Loads `deployment` (named, or the one `--deployment` selects) and the writers of its tiers.
    static func load(_ name: String?, global: GlobalOptions, workspace: Workspace) async throws -> (Deployment, DeploymentState, [TierWriterSlot]) {
        let deployment: Deployment
        if let name {
            guard let found = workspace.deployment(named: name) else {
                let known = workspace.deployments.map { InertText.make($0.name) }.joined(separator: ", ")
                throw CLIError.usage("no deployment named '\(InertText.make(name))'; this workspace has: \(known)")
            }
            deployment = found
        } else {
            deployment = try global.selectDeployment(in: workspace)
        }
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        let writers = StrataRuntime.writerFactory.makeWriters(for: deployment, context: global.context)
        return (deployment, state, writers)
    }

    /// Throws unless the target tier is one the deployment has and could read: a copy must
    /// know what the target holds before it writes.
    func checkTarget() throws {
        let name = InertText.make(target.name)
        guard targetState.chain.contains(targetTier) || targetWriters.contains(where: { $0.tier == targetTier }) else {
            let tiers = targetState.chain.map(\.rawValue).joined(separator: ", ")
            throw CLIError.usage("deployment '\(name)' has no \(targetTier.rawValue) tier; its tiers are \(tiers)")
        }
        switch targetState.tiers[targetTier] {
        case .failed(let reason)?, .unavailable(let reason)?:
            let label = targetState.descriptors[targetTier]?.label ?? targetTier.rawValue
            let shown = Masking.masked.failureReason(reason, of: targetTier, in: targetState)
            throw CLIError("cannot copy into \(InertText.make(label)) of deployment '\(name)': it could not be read "
                           + "(\(InertText.make(shown))), so Strata cannot check what it holds; nothing was written.")
        default:
            break
        }
    }

    func run(_ items: CopyItems, sourceLabel: String, selection: CopySelection, options: Options) async throws {
        try checkTarget()
        let planner = CopyPlanner(target: targetState, targetWriters: targetWriters, targetTier: targetTier,
                                  globalReadOnly: global.readOnly, source: source)
        let plan = selection.filter(planner.plan(items, sourceLabel: sourceLabel, policy: options.policy, move: options.move))
        let incomplete = plan.isBlocked || plan.count("refused") > 0 || !plan.problems.isEmpty
        if !options.json { print(CopyPlanText.plan(plan, dryRun: options.dryRun)) }
        let work = plan.steps.filter { $0.writes || ($0.sourceDelete != nil && $0.action == .unchanged) }
        if options.dryRun || plan.isBlocked || work.isEmpty {
            if options.json { print(JSONWriter.render(CopyPlanText.json(plan, outcomes: nil, dryRun: options.dryRun))) }
            if incomplete { throw ExitCode(1) }
            return
        }
        try confirm(plan, work: work, options: options)

        let progress = CopyProgressLine(enabled: !options.json && isatty(2) == 1)
        let executor = CopyExecutor(targetWriters: targetWriters, sourceWriters: source?.writers ?? [],
                                    concurrency: options.concurrency, verifiesAfterwards: true)
        var outcomes = await executor.apply(plan) { done, total in progress.show(done, total) }
        progress.finish()
        let reloaded = await reloadTarget()
        outcomes = planner.verify(outcomes, against: reloaded)
        if options.json {
            print(JSONWriter.render(CopyPlanText.json(plan, outcomes: outcomes, dryRun: false)))
        } else {
            print(CopyPlanText.outcomes(outcomes, plan: plan))
        }
        if incomplete || outcomes.contains(where: { $0.error != nil || $0.verificationProblem != nil }) { throw ExitCode(1) }
    }

    private func confirm(_ plan: CopyPlan, work: [CopyStep], options: Options) throws {
        guard !options.assumeYes else { return }
        let deletes = work.filter { $0.sourceDelete != nil }.count
        let writes = work.filter(\.writes).count
        let question = "Write \(writes) key(s) to \(plan.targetLabel)" + (deletes > 0 ? " and delete \(deletes) from the source" : "")
        guard StandardInput.isTerminal else {
            throw CLIError("\(question): confirm with --yes when running without a terminal; nothing was written.")
        }
        printError("\(question)? [y/N]")
        guard let answer = StandardInput.readLine()?.lowercased(), answer == "y" || answer == "yes" else {
            throw CLIError("not confirmed; nothing was written.")
        }
    }

    /// The target deployment read again from a fresh workspace: env files are read when the
    /// workspace loads, so only a fresh load shows what was written.
    private func reloadTarget() async -> DeploymentState {
        let fresh = (try? global.loadWorkspace())?.deployment(named: target.name) ?? target
        return await StrataRuntime.loader.loadAll(fresh, context: global.context)
    }
}

/// "copied 120/1000" on stderr while a copy runs, when stderr is a terminal.
final class CopyProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[Kcopying \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
