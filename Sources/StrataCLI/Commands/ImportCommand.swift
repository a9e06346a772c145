import ArgumentParser
import Editing
import Engine
import Foundation

/// `strata import FILE --tier T`: reads a file in Airflow's own formats — one Strata exported, or
/// one `airflow connections export`, `airflow variables export` or `astro dev object export`
/// wrote — as Airflow's import would, and writes it to one tier through the copy path: the
/// plan first, each key guarded and read back, the deployment read again and checked.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import connections or variables from an Airflow or Astro file into one tier.",
        discussion: """
        FILE is json, yaml or env (the shapes `airflow connections|variables export` write; one kind \
        per file, so give --conns or --vars), airflow_settings.yaml (astro: both kinds), or a .env \
        file of AIRFLOW_CONN_* / AIRFLOW_VAR_* lines. Entries Airflow's import would refuse are \
        listed as unreadable and not written. The plan is printed first, masked; --dry-run stops there.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file to import.") var file: String
    @Option(name: .long, help: "The tier to write: backend, workers_backend, env or metastore.") var tier: TierID
    @Option(name: .long, help: "json, yaml, env or astro (default: from the file name).") var format: TransferFormat?
    @Flag(name: .customLong("vars"), help: "Variables only (json, yaml and env files hold one kind).") var variablesOnly = false
    @Flag(name: .customLong("conns"), help: "Connections only.") var connectionsOnly = false
    @Option(name: .customLong("match"), help: "Import ids matching this shell pattern (repeatable).") var patterns: [String] = []
    @Option(name: .customLong("on-conflict"), help: "When the tier holds a different value: fail (default: write nothing), skip, overwrite.")
    var policy: ConflictPolicy = .fail
    @Flag(name: .customLong("dry-run"), help: "Print the plan and write nothing.") var dryRun = false
    @Flag(name: [.customShort("y"), .long], help: "Apply without asking (needed when there is no terminal).") var yes = false
    @Option(name: .long, help: "text (default) or json.") var output: PlanOutput = .text
    @Option(name: .long, help: "Keys written at once to a remote service (1–64).") var concurrency = 16

    func validate() throws {
        if variablesOnly && connectionsOnly { throw ValidationError("give --vars or --conns, not both") }
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency must be between 1 and 64") }
    }

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let (deployment, state, writers) = try await CopyRun.load(nil, global: global, workspace: workspace)
        let kinds: Set<SecretKind> = variablesOnly ? [.variable] : connectionsOnly ? [.connection] : Set(SecretKind.allCases)
        let url = URL(fileURLWithPath: file)
        let items: CopyItems
        do {
            items = try ImportReader.read(file: url, format: format, kinds: kinds, airflow: deployment.airflowVersion)
        } catch let error as TransferError {
            throw CLIError("\(InertText.make(error.message)); nothing was written.")
        }
        let selection = CopySelection(patterns: patterns, kinds: kinds)
        let run = CopyRun(global: global, target: deployment, targetState: state, targetWriters: writers, targetTier: tier, source: nil)
        try await run.run(selection.select(items, source: nil), sourceLabel: url.lastPathComponent, selection: selection,
                          options: .init(policy: policy, move: false, dryRun: dryRun, assumeYes: yes,
                                         json: output == .json, concurrency: concurrency))
    }
}
