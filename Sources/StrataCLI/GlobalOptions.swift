import ArgumentParser
import Engine
import Foundation

/// Options every command shares: where the workspace is, which deployment, which process.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace file (default: ./strata.yaml, or the Astro project in this folder).")
    var workspace: String?

    @Option(name: [.customShort("d"), .long], help: "The deployment to use (default: the first one).")
    var deployment: String?

    @Option(name: .long, help: "Resolve as the Airflow 3 API server ('server'), a task on a worker ('worker') or a trigger in the triggerer ('triggerer').")
    var context: LookupContext = .server

    @Flag(name: .customLong("read-only"), help: "Refuse every write (also STRATA_READ_ONLY=1).")
    var readOnlyFlag = false

    /// Whether every write is refused: `--read-only`, or `STRATA_READ_ONLY` set to a true value.
    var readOnly: Bool { readOnlyFlag || Self.environmentAsksReadOnly }

    /// `STRATA_READ_ONLY` set to a true value.
    static var environmentAsksReadOnly: Bool {
        ["1", "true", "yes", "on"].contains(ProcessInfo.processInfo.environment["STRATA_READ_ONLY"]?.lowercased() ?? "")
    }

    public init() {}

    /// The workspace these options name.
    func loadWorkspace() throws -> Workspace {
        try Self.loadWorkspace(explicitPath: workspace)
    }

    /// The workspace at `explicitPath`, or the one found from the current folder; a plain
    /// function of its argument, so that a reload can run it later from any thread.
    static func loadWorkspace(explicitPath workspace: String?) throws -> Workspace {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            return try Workspace.discover(explicitPath: workspace, in: cwd)
        } catch let error as WorkspaceError {
            throw CLIError(InertText.make(error.description))
        }
    }

    /// The deployment these options name, from `workspace`.
    func selectDeployment(in workspace: Workspace) throws -> Deployment {
        if let name = deployment {
            guard let found = workspace.deployment(named: name) else {
                let known = workspace.deployments.map { InertText.make($0.name) }.joined(separator: ", ")
                throw CLIError.usage("no deployment named '\(InertText.make(name))'; this workspace has: \(known)")
            }
            return found
        }
        return workspace.deployments[0]
    }
}

extension LookupContext: ExpressibleByArgument {}

/// `--json` and `--reveal`, for commands that print values.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON for scripts instead of a table.")
    var json = false

    @Flag(name: .long, help: "Show secret values instead of ***.")
    var reveal = false

    public init() {}

    var masking: Masking { reveal ? .revealed : .masked }
}

/// `--allow-unavailable`: shared by the commands CI runs (list, compare, lint).
struct AvailabilityOptions: ParsableArguments {
    @Flag(name: .customLong("allow-unavailable"),
          help: "Exit 0 even when a configured tier could not be read (the note on stderr stays).")
    var allowUnavailable = false

    init() {}
}
