import ArgumentParser
import Editing
import Engine
import Foundation

/// One deployment loaded for editing from the command line: its resolved state and the
/// writers of its tiers.
struct EditSession {
    var deployment: Deployment
    var context: LookupContext
    var state: DeploymentState
    var writers: [TierWriterSlot]
    var readOnly: Bool
    /// How the deployment was found, to read it again after a write: env files are read when
    /// the workspace loads, so a fresh load is what shows the new value.
    var global: GlobalOptions

    static func open(_ global: GlobalOptions) async throws -> EditSession {
        let workspace = try global.loadWorkspace()
        let deployment = try global.selectDeployment(in: workspace)
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        let writers = StrataRuntime.writerFactory.makeWriters(for: deployment, context: global.context)
        return EditSession(deployment: deployment, context: global.context, state: state, writers: writers,
                           readOnly: global.readOnly, global: global)
    }

    func writer(for tier: TierID) -> (any TierWriter)? {
        writers.first { $0.tier == tier }?.writer
    }

    /// The parser Airflow uses for connections read from `tier`: on an Airflow 3 worker the
    /// worker's own tiers use the Task SDK, what the Execution API answers uses the core parser.
    func dialect(for tier: TierID) -> ConnectionDialect { state.connectionDialect(for: tier) }

    /// What a `--field` edit starts from: the tier's own value, else the value Airflow resolves.
    func startingConnection(for key: SecretKey, in tier: TierID) -> Connection? {
        let resolution = state.resolve(key)
        if case .present(.connection(let own))? = resolution.tiers.first(where: { $0.tier == tier })?.state { return own }
        if case .connection(let resolved)? = resolution.value { return resolved }
        return nil
    }

    /// Plans `change`, prints the plan, and unless `dryRun` asks `confirm` and applies it,
    /// then reloads the deployment to say which tier Airflow reads the key from now.
    func run(_ change: TierChange, into tier: TierID, dryRun: Bool, json: Bool,
             confirm: ((PlannedChange) throws -> Void)? = nil) async throws {
        guard state.chain.contains(tier) || writers.contains(where: { $0.tier == tier }) else {
            let tiers = state.chain.map(\.rawValue).joined(separator: ", ")
            throw CLIError.usage("deployment '\(InertText.make(deployment.name))' has no \(tier.rawValue) tier; its tiers are \(tiers)")
        }
        let planner = EditPlanner(state: state, writers: writers, globalReadOnly: readOnly)
        let planned = planner.plan(change, into: tier)
        if !json { print(EditPlanText.plan(planned, deployment: deployment.name, dryRun: dryRun)) }

        if dryRun || !planned.willWrite {
            if json { print(JSONWriter.render(EditPlanText.json(planned, outcome: nil, winnerNow: nil, dryRun: dryRun))) }
            // The plan already says why; exit 1 so scripts see the refusal.
            if planned.refusal != nil { throw ExitCode(1) }
            return
        }
        try confirm?(planned)
        let outcome = await EditExecutor(writers: writers).apply(planned)
        var winnerNow: Resolution?
        if outcome.succeeded {
            let fresh = (try? global.selectDeployment(in: try global.loadWorkspace())) ?? deployment
            let reloaded = await StrataRuntime.loader.loadAll(fresh, context: context)
            winnerNow = reloaded.resolve(change.key)
        }
        if json {
            print(JSONWriter.render(EditPlanText.json(planned, outcome: outcome, winnerNow: winnerNow, dryRun: false)))
        } else {
            print(EditPlanText.outcome(outcome, winnerNow: winnerNow))
        }
        if outcome.error != nil { throw ExitCode(1) }
    }
}
