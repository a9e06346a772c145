import ArgumentParser
import Engine

/// `strata`: browse Airflow variables and connections across deployments and precedence tiers.
public struct StrataCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Browse Airflow variables and connections across deployments and precedence tiers.",
        discussion: """
        Strata shows, for every variable and connection, the tier that supplies the value Airflow \
        uses (secrets backend, environment, metastore) and every tier it shadows. Values stay \
        masked unless you pass --reveal.
        """,
        subcommands: [
            BrowseCommand.self, DeploymentsCommand.self, BackendCommand.self, ListCommand.self, ExplainCommand.self, URICommand.self, CompareCommand.self, LintCommand.self, SetCommand.self, RemoveCommand.self, DemoCommand.self,
        ],
        defaultSubcommand: BrowseCommand.self
    )

    public init() {}
}

/// Runs the command line and exits with Strata's codes: 0 success, 1 failure, 2 usage.
public enum StrataMain {
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        do {
            var command = try StrataCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as CLIError {
            printError("strata: \(error.message)")
            return error.exitCode
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            let code = StrataCommand.exitCode(for: error)
            let message = StrataCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                return 0
            }
            if !message.isEmpty { printError(message) }
            // Argument errors are usage errors (2); anything else that escaped is a failure (1).
            return code == .validationFailure ? 2 : 1
        }
    }
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.stderr(string)
    }
}
