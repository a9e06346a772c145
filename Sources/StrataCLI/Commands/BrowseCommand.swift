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
        let workspacePath = global.workspace
        try await TerminalLauncher.open(workspace: workspace, deployment: global.deployment, context: global.context,
                                        theme: theme, readOnly: global.readOnly,
                                        reload: { try? GlobalOptions.loadWorkspace(explicitPath: workspacePath).deployments })
    }
}
