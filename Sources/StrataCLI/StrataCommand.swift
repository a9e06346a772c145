import Foundation
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
        version: "strata \(StrataVersion.current)",
        subcommands: [
            BrowseCommand.self, DeploymentsCommand.self, BackendCommand.self, ListCommand.self, ExplainCommand.self, URICommand.self, CompareCommand.self, LintCommand.self, SetCommand.self, RemoveCommand.self, CopyCommand.self, ExportCommand.self, TestCommand.self, DemoCommand.self,
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
            let message = inertArguments(arguments, in: StrataCommand.fullMessage(for: error))
            if code == .success {
                // Help and version text; it can echo a command-line argument.
                if !message.isEmpty { print(InertText.make(message, keepingLineBreaks: true)) }
                return 0
            }
            if !message.isEmpty { printError(message) }
            // Argument errors are usage errors (2); anything else that escaped is a failure (1).
            return code == .validationFailure ? 2 : 1
        }
    }
}

/// The parser's message with each command-line argument it echoes made inert first, line breaks
/// included (the message's own line breaks are kept by `printError`).
func inertArguments(_ arguments: [String], in message: String) -> String {
    var pieces = Set<String>()
    for argument in arguments where argument.unicodeScalars.contains(where: InertText.needsEscape) {
        pieces.insert(argument)
        for part in argument.split(separator: "=", maxSplits: 1) { pieces.insert(String(part)) }
    }
    var out = message
    for piece in pieces.sorted(by: { $0.count > $1.count }) where !piece.isEmpty {
        out = out.replacingOccurrences(of: piece, with: InertText.make(piece))
    }
    return out
}

/// Writes a message to stderr, made inert: every CLI error passes here, and may quote names
/// from files, servers or the command line.
func printError(_ message: String) {
    var stderr = StandardError()
    print(InertText.make(message, keepingLineBreaks: true), to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.stderr(string)
    }
}
