import ArgumentParser
import Editing
import Engine
import Foundation

/// `strata copy --from SRC --to DST`: copies (or moves) many variables and connections between
/// tiers and deployments, plan first, each key verified.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy or move connections and variables between tiers and deployments.",
        discussion: """
        SRC and DST are a tier of the selected deployment (backend, workers_backend, env, metastore) \
        or DEPLOYMENT:TIER; --from DEPLOYMENT alone copies the values that deployment resolves. \
        The plan is printed first, masked: per key created, updated, unchanged, skipped or refused \
        (and why), and which tier Airflow reads it from afterwards. Each key is then written through \
        the target tier's own naming and storage form, checked-and-set and read back; the target \
        deployment is read again and every key checked to resolve as planned. With --move a key is \
        deleted from the source only after its copy is verified, so an interruption leaves each key \
        in the source or in both; running the same command again finishes the job.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Where the values come from: TIER, DEPLOYMENT:TIER, or DEPLOYMENT (its resolved values).")
    var from: TierAddress
    @Option(name: .long, help: "The tier written: TIER or DEPLOYMENT:TIER.") var to: TierAddress
    @Argument(help: "Ids to copy (default: every id the source holds).") var ids: [String] = []
    @Option(name: .customLong("match"), help: "Copy ids matching this shell pattern (repeatable).") var patterns: [String] = []
    @Flag(name: .customLong("vars"), help: "Variables only.") var variablesOnly = false
    @Flag(name: .customLong("conns"), help: "Connections only.") var connectionsOnly = false
    @Option(name: .customLong("only"), help: "Only keys that are: shadowed (the source value is not the one Airflow reads), differing (the target holds another value), problems (lint reports them).")
    var condition: CopySelection.Condition?
    @Option(name: .customLong("on-conflict"), help: "When the target holds a different value: fail (default: write nothing), skip, overwrite.")
    var policy: ConflictPolicy = .fail
    @Flag(name: .long, help: "Delete each key from the source once its copy is verified.") var move = false
    @Flag(name: .customLong("dry-run"), help: "Print the plan and write nothing.") var dryRun = false
    @Flag(name: [.customShort("y"), .long], help: "Apply without asking (needed when there is no terminal).") var yes = false
    @Flag(name: .customLong("allow-unavailable"), help: "Copy the resolved values even when a tier of the source could not be read.")
    var allowUnavailable = false
    @Option(name: .long, help: "text (default) or json.") var output: PlanOutput = .text
    @Option(name: .long, help: "Keys written at once to a remote service (1–64).") var concurrency = 16

    func validate() throws {
        if variablesOnly && connectionsOnly { throw ValidationError("give --vars or --conns, not both") }
        if to.tier == nil { throw ValidationError("--to names a tier: TIER or DEPLOYMENT:TIER (for example prod:backend)") }
        if move && from.tier == nil {
            throw ValidationError("--move needs a source tier (TIER or DEPLOYMENT:TIER): the resolved values of a deployment are not one place to delete from")
        }
        if condition == .shadowed && from.tier == nil { throw ValidationError("--only shadowed needs a source tier") }
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 64") }
    }

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let (sourceDeployment, sourceState, sourceWriters) = try await CopyRun.load(from.deployment, global: global, workspace: workspace)
        let targetTier = to.tier!
        let targetName = try to.deployment ?? global.selectDeployment(in: workspace).name
        let sameDeployment = targetName == sourceDeployment.name
        if sameDeployment, from.tier == targetTier {
            throw CLIError.usage("--from and --to are the same tier; name another tier or deployment to copy to")
        }
        let target = sameDeployment ? (sourceDeployment, sourceState, sourceWriters)
            : try await CopyRun.load(to.deployment, global: global, workspace: workspace)

        let items: CopyItems
        let sourceLabel: String
        if let tier = from.tier {
            guard sourceState.chain.contains(tier) else {
                let tiers = sourceState.chain.map(\.rawValue).joined(separator: ", ")
                throw CLIError.usage("deployment '\(InertText.make(sourceDeployment.name))' has no \(tier.rawValue) tier; its tiers are \(tiers)")
            }
            switch sourceState.tiers[tier] {
            case .failed(let reason)?, .unavailable(let reason)?:
                throw unreadableSource(tier, reason: reason, in: sourceState)
            default:
                break
            }
            items = CopyItems.fromTier(tier, of: sourceState)
            sourceLabel = "\(sourceState.descriptors[tier]?.label ?? tier.rawValue) of '\(sourceDeployment.name)'"
        } else {
            if UnreadableTierCheck.report([sourceState], masking: .masked, allowUnavailable: allowUnavailable) {
                throw CLIError("the values '\(InertText.make(sourceDeployment.name))' resolves are not known while a tier cannot be read; "
                               + "nothing was written. Fix that tier, or pass --allow-unavailable to copy what the others resolve.")
            }
            items = CopyItems.resolved(from: sourceState)
            sourceLabel = "values resolved by '\(sourceDeployment.name)'"
        }
        let kinds: Set<SecretKind> = variablesOnly ? [.variable] : connectionsOnly ? [.connection] : Set(SecretKind.allCases)
        let selection = CopySelection(ids: ids, patterns: patterns, kinds: kinds, condition: condition)
        let selected = selection.select(items, source: (sourceState, from.tier))
        let missing = selection.missingIDs(in: selected)
        if !missing.isEmpty {
            throw CLIError("\(InertText.make(sourceLabel)) holds no \(missing.map { InertText.make($0) }.joined(separator: ", ")); nothing was written.")
        }
        let source = from.tier.map { CopyPlanner.SourceTier(state: sourceState, writers: sourceWriters, tier: $0) }
        let run = CopyRun(global: global, target: target.0, targetState: target.1, targetWriters: target.2,
                          targetTier: targetTier, source: source)
        try await run.run(selected, sourceLabel: sourceLabel, selection: selection,
                          options: .init(policy: policy, move: move, dryRun: dryRun, assumeYes: yes,
                                         json: output == .json, concurrency: concurrency))
    }

    private func unreadableSource(_ tier: TierID, reason: String, in state: DeploymentState) -> CLIError {
        let label = state.descriptors[tier]?.label ?? tier.rawValue
        let shown = Masking.masked.failureReason(reason, of: tier, in: state)
        return CLIError("cannot copy from \(InertText.make(label)) of deployment '\(InertText.make(state.deployment.name))': "
                        + "it could not be read (\(InertText.make(shown))); nothing was written.")
    }
}

extension ConflictPolicy: ExpressibleByArgument {}
extension CopySelection.Condition: ExpressibleByArgument {}
