import ArgumentParser
import Engine
import Foundation
import TerminalUI

/// `strata` (or `strata browse`): the terminal UI on the workspace.
struct BrowseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Open the terminal UI (the default when no command is given)."
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Colour theme: default, light, high-contrast, mono, or a theme file.") var theme: String?

    func run() async throws {
        let workspace = try global.loadWorkspace()
        if global.deployment != nil { _ = try global.selectDeployment(in: workspace) }
        let global = global
        try await TerminalLauncher.openForEditing(workspace: workspace, deployment: global.deployment, context: global.context,
                                                  theme: theme, readOnly: global.readOnly,
                                                  reload: { try? global.loadWorkspace().deployments })
    }
}

extension TerminalLauncher {
    /// Runs the terminal UI with the app's tier writers, `--read-only`, and a way to read the
    /// workspace again after a save.
    static func openForEditing(workspace: Workspace, deployment: String?, context: LookupContext, theme: String?,
                               readOnly: Bool, reload: @escaping @Sendable () -> [Deployment]?) async throws {
        guard isInteractive else {
            throw CLIError("the terminal UI needs a terminal on stdin and stdout; in scripts use `strata list --json`")
        }
        let app = TerminalApp(deployments: workspace.deployments, initialDeployment: deployment, context: context,
                              loader: StrataRuntime.loader, theme: theme, logFile: nil,
                              workspaceTheme: workspace.theme, writerFactory: StrataRuntime.writerFactory,
                              readOnly: readOnly, reloadDeployments: reload)
        let status: Int32
        do {
            status = try await MainActor.run { try app.run() }
        } catch {
            throw CLIError(TerminalSafety.inert("\(error)"))
        }
        if status != 0 { throw CLIError("the terminal UI stopped with status \(status)", exitCode: status) }
    }
}
