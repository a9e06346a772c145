import Engine
import Foundation

/// Opens the terminal UI. Kept apart from the commands so that the UI is one call away.
enum TerminalLauncher {
    /// Whether standard input and output are a terminal a UI can use.
    static var isInteractive: Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    static func open(workspace: Workspace, deployment: String?, context: LookupContext) throws {
        throw CLIError("the terminal UI is not part of this build yet; use `strata list` or `strata demo --print`")
    }
}
