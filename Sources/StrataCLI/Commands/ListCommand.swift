import ArgumentParser
import Engine

/// `strata list`: every variable and connection of a deployment with the tier that supplied it.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every variable and connection with the tier that supplies it.",
        discussion: "Exits 1 when a configured tier could not be read (see --allow-unavailable)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var availability: AvailabilityOptions

    @Flag(name: .long, help: "Only variables.") var vars = false
    @Flag(name: .long, help: "Only connections.") var conns = false

    func validate() throws {
        if vars && conns { throw ValidationError("--vars and --conns exclude each other; give at most one") }
    }

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let deployment = try global.selectDeployment(in: workspace)
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        var resolutions = state.resolveAll()
        if vars { resolutions.removeAll { $0.key.kind != .variable } }
        if conns { resolutions.removeAll { $0.key.kind != .connection } }
        if output.json {
            JSONWriter.printArray(resolutions) { $0.jsonEntry(masking: output.masking, exactFailures: state.exactFailureReasons) }
        } else {
            print(ListTable.render(resolutions, state: state, masking: output.masking))
        }
        if UnreadableTierCheck.report([state], masking: output.masking, allowUnavailable: availability.allowUnavailable) {
            throw ExitCode(1)
        }
    }
}
