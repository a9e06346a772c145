import ArgumentParser
import Engine
import Foundation
import PythonCompat

/// `strata demo`: the built-in demo workspace, with no server and no credential.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open Strata on a built-in demo workspace (three deployments, no servers, no credentials).",
        discussion: """
        The demo is written to a folder under the temp directory (see --folder) so that you can \
        also point the other commands at it: strata list --workspace <folder>/strata.yaml.
        """
    )

    @Option(name: .long, help: "Where to write the demo workspace.") var folder: String?
    @Flag(name: .long, help: "Print every deployment's resolution instead of opening the terminal UI.") var print = false
    @Flag(name: .long, help: "With --print: JSON instead of tables.") var json = false
    @Flag(name: .long, help: "Show secret values instead of ***.") var reveal = false
    @Option(name: .long, help: "Resolve as the Airflow 3 API server ('server'), a task on a worker ('worker') or a trigger in the triggerer ('triggerer').")
    var context: LookupContext = .server
    @Option(name: .long, help: "Colour theme: default, light, high-contrast, mono, or a theme file.") var theme: String?
    @Flag(name: .customLong("read-only"), help: "Refuse every write (also STRATA_READ_ONLY=1).") var readOnly = false

    func run() async throws {
        let target = folder.map { URL(fileURLWithPath: $0) } ?? DemoWorkspace.defaultFolder
        let file: URL
        do {
            file = try DemoWorkspace.write(to: target)
        } catch {
            throw CLIError("cannot write the demo workspace to \(target.path): \(error.localizedDescription); pass --folder with a writable folder")
        }
        let workspace: Workspace
        do {
            workspace = try Workspace.load(file)
        } catch let error as WorkspaceError {
            throw CLIError("the demo workspace is invalid: \(error)")
        }
        let masking: Masking = reveal ? .revealed : .masked
        if print || !TerminalLauncher.isInteractive {
            var documents: [JSONValue] = []
            for deployment in workspace.deployments {
                let state = await StrataRuntime.loader.loadAll(deployment, context: context)
                let resolutions = state.resolveAll()
                if json {
                    documents.append(.object(JSONObject([
                        ("deployment", .string(deployment.name)),
                        ("entries", .array(resolutions.map { $0.jsonEntry(masking: masking) })),
                    ])))
                } else {
                    Swift.print("── \(deployment.name) (Airflow \(deployment.airflowVersion.rawValue)\(deployment.readOnly ? ", read-only" : ""))")
                    Swift.print(ListTable.render(resolutions, state: state, masking: masking))
                    Swift.print("")
                }
            }
            if json { Swift.print(JSONWriter.render(.array(documents))) }
            if !json { Swift.print("demo workspace: \(file.path)") }
            return
        }
        try await TerminalLauncher.open(workspace: workspace, deployment: nil, context: context, theme: theme,
                                        readOnly: readOnly || GlobalOptions.environmentAsksReadOnly,
                                        reload: { try? Workspace.load(file).deployments })
    }
}
