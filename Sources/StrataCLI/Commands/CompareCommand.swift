import ArgumentParser
import Engine

/// `strata compare`: tiers side by side, or deployments side by side.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a deployment's tiers side by side, or several deployments' effective values.",
        discussion: """
        Secret values are compared without being shown: cells carry a keyed fingerprint that \
        changes on every run. --reveal prints the values. Exits 1 when a configured tier could not \
        be read (see --allow-unavailable).
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var availability: AvailabilityOptions
    @Option(name: .long, help: "Compare these deployments (comma-separated) instead of one deployment's tiers.")
    var deployments: String?
    @Option(name: .long, help: "Only rows that are: all, shadowed, differing or problems.")
    var only: TierMatrix.Filter = .all

    func run() async throws {
        let workspace = try global.loadWorkspace()
        if let deployments {
            let names = deployments.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard names.count >= 2 else { throw CLIError.usage("--deployments needs at least two names, e.g. --deployments staging,prod") }
            var inputs: [(name: String, resolutions: [Resolution])] = []
            var states: [DeploymentState] = []
            for name in names {
                guard let deployment = workspace.deployment(named: name) else {
                    throw CLIError.usage("no deployment named '\(InertText.make(name))'; this workspace has: \(workspace.deployments.map { InertText.make($0.name) }.joined(separator: ", "))")
                }
                let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
                inputs.append((name, state.resolveAll()))
                states.append(state)
            }
            var comparison = DeploymentComparison(inputs)
            if only == .differing || only == .problems || only == .shadowed { comparison.rows.removeAll { $0.isUniform } }
            print(output.json ? JSONWriter.render(comparison.json(masking: output.masking))
                              : CompareText.render(comparison, masking: output.masking))
            if UnreadableTierCheck.report(states, masking: output.masking, allowUnavailable: availability.allowUnavailable) {
                throw ExitCode(1)
            }
            return
        }
        let deployment = try global.selectDeployment(in: workspace)
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        let matrix = TierMatrix(tiers: state.chain, resolutions: state.resolveAll()).filtered(only)
        print(output.json ? JSONWriter.render(matrix.json(masking: output.masking))
                          : CompareText.render(matrix, masking: output.masking))
        if UnreadableTierCheck.report([state], masking: output.masking, allowUnavailable: availability.allowUnavailable) {
            throw ExitCode(1)
        }
    }
}

extension TierMatrix.Filter: ExpressibleByArgument {}
