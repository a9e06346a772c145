import AirflowAPI
import Engine
import Foundation
import TerminalUI
import ViewModel

/// Opens the terminal UI. Kept apart from the commands so that the UI is one call away.
enum TerminalLauncher {
    /// Whether standard input and output are a terminal a UI can use.
    static var isInteractive: Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Runs the terminal UI on the main thread until the user quits, with the app's tier
    /// writers, `--read-only`, and `reload` to read the workspace again (after a save, on `R`).
    static func open(workspace: Workspace, deployment: String?, context: LookupContext, theme: String?,
                     readOnly: Bool, reload: @escaping @Sendable () -> [Deployment]?) async throws {
        guard isInteractive else {
            throw CLIError("the terminal UI needs a terminal on stdin and stdout; in scripts use `strata list --json`")
        }
        let configuration = AppConfiguration(deployments: workspace.deployments, initialDeployment: deployment, context: context,
                                             readOnly: readOnly, theme: theme, workspaceTheme: workspace.theme)
        let environment = LiveAppEnvironment(loader: StrataRuntime.loader, writerFactory: StrataRuntime.writerFactory, reload: reload,
                                             connectionTester: AirflowAPIConnectionTester())
        let app = TerminalApp(configuration: configuration, environment: environment)
        let status: Int32
        do {
            status = try await MainActor.run { try app.run() }
        } catch {
            throw CLIError(InertText.make("\(error)"))
        }
        if status != 0 { throw CLIError("the terminal UI stopped with status \(status)", exitCode: status) }
    }
}
