import ArgumentParser
import Editing
import Engine
import Foundation

/// `strata set conn|var …`: writes one connection or variable to one tier, with the same
/// checks as the TUI (read-only, placeholders, conflicts, shadowing) and a `--dry-run` plan.
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Write a connection or variable to one tier of a deployment.",
        discussion: """
        strata set conn ID (--uri URI | --json JSON | --field NAME=VALUE …) --tier TIER
        strata set var KEY VALUE --tier TIER

        Give `-` as the URI, JSON or VALUE to read it from standard input, so the secret stays out \
        of your shell history and the process list. --field changes single fields (conn_type, host, \
        login, password, schema, port, extra, description, or extra.KEY) of the value the tier holds \
        (or, when it holds none, of the value Airflow resolves now). The plan is printed with secret \
        fields masked; --dry-run stops there.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var edit: EditOptions

    @Argument(help: "conn or var.") var kind: KindArgument
    @Argument(help: "The connection id or variable key.") var id: String
    @Argument(help: "The variable's value (`-` reads standard input). Not used for connections.") var value: String?

    @Option(name: .long, help: "The connection as a URI (`-` reads standard input).") var uri: String?
    @Option(name: .long, help: "The connection as a JSON object (`-` reads standard input).") var json: String?
    @Option(name: .customLong("field"), help: "Set one field: NAME=VALUE (repeatable).") var fields: [String] = []
    @Option(name: .long, help: "How the tier stores the connection: uri, json or fields (default: the tier's usual form).")
    var form: ConnectionForm?
    @Option(name: .long, help: "The variable's description, where the tier keeps one.") var description: String?

    func validate() throws {
        switch kind {
        case .conn:
            let given = [uri != nil, json != nil, !fields.isEmpty].filter { $0 }.count
            if given != 1 { throw ValidationError("give exactly one of --uri, --json or --field for a connection") }
            if value != nil { throw ValidationError("a connection takes --uri, --json or --field, not a VALUE argument") }
            if description != nil { throw ValidationError("--description is for variables; use --field description=… for a connection") }
        case .var:
            if value == nil { throw ValidationError("give the variable's VALUE (or `-` to read it from standard input)") }
            if uri != nil || json != nil || !fields.isEmpty || form != nil {
                throw ValidationError("--uri, --json, --field and --form are for connections")
            }
        }
        if [value, uri, json].filter({ $0 == "-" }).count > 1 { throw ValidationError("only one input can be read from standard input") }
    }

    func run() async throws {
        let session = try await EditSession.open(global)
        let key = SecretKey(kind.secretKind, id)
        let change: TierChange
        switch kind {
        case .var:
            let text = try StandardInput.valueOrStdin(value!, what: "the variable's value")
            change = .set(key, .variable(text, description: description))
        case .conn:
            let connection = try buildConnection(session: session, key: key)
            let writerForms = session.writer(for: edit.tier)?.connectionForms ?? []
            let preferred: ConnectionForm = uri != nil ? .uri : json != nil ? .json : (writerForms.first ?? .uri)
            let chosen = form ?? (writerForms.contains(preferred) ? preferred : writerForms.first ?? preferred)
            change = .set(key, .connection(connection), form: chosen)
        }
        try await session.run(change, into: edit.tier, dryRun: edit.dryRun, json: edit.json)
    }

    private func buildConnection(session: EditSession, key: SecretKey) throws -> Connection {
        let dialect = session.dialect(for: edit.tier)
        if let uri {
            let text = try StandardInput.valueOrStdin(uri, what: "the URI")
            do { return try Connection.parse(uri: text, dialect: dialect) } catch let error as AirflowError {
                // Python's message can quote a piece of the password (stdin may hold the URI so it stays off screen).
                let shown = SecretRedaction.error(className: error.className, message: error.message, input: text).redacted
                throw CLIError("the URI is not valid for Airflow: \(InertText.make(shown)); "
                               + "fix it and run again (`strata uri parse` shows how Airflow reads a URI)")
            }
        }
        if let json {
            let text = try StandardInput.valueOrStdin(json, what: "the JSON")
            do { return try Connection.parse(json: text, dialect: dialect) } catch let error as AirflowError {
                let shown = SecretRedaction.error(className: error.className, message: error.message, input: text).redacted
                throw CLIError("the JSON is not a valid connection for Airflow: \(InertText.make(shown))")
            }
        }
        var connection = session.startingConnection(for: key, in: edit.tier) ?? Connection()
        for assignment in fields {
            try FieldAssignment(assignment).apply(to: &connection)
        }
        return connection
    }
}

/// `strata rm conn|var ID --tier TIER`: deletes one key from one tier, after the user confirms
/// by typing the id (or passing it to `--confirm`).
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete a connection or variable from one tier of a deployment.",
        discussion: """
        Type the id when asked, or pass it to --confirm when there is no terminal (scripts, CI). \
        --dry-run prints what would change and which tier Airflow reads afterwards.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var edit: EditOptions

    @Argument(help: "conn or var.") var kind: KindArgument
    @Argument(help: "The connection id or variable key.") var id: String
    @Option(name: .long, help: "The id again, to confirm the delete without a prompt.") var confirm: String?

    func run() async throws {
        let session = try await EditSession.open(global)
        let change = TierChange.delete(SecretKey(kind.secretKind, id))
        try await session.run(change, into: edit.tier, dryRun: edit.dryRun, json: edit.json) { planned in
            if let confirm {
                guard confirm == id else {
                    throw CLIError("--confirm does not match the id; nothing was deleted. Pass the exact id to --confirm.")
                }
                return
            }
            guard StandardInput.isTerminal else {
                throw CLIError("deleting needs confirmation; nothing was deleted. Pass --confirm \(InertText.make(id)) "
                               + "(the exact id) when running without a terminal.")
            }
            printError("Type the id (\(InertText.make(id))) to delete it from \(planned.targetLabel):")
            guard StandardInput.readLine() == id else {
                throw CLIError("the id typed does not match; nothing was deleted.")
            }
        }
    }
}

/// Options the editing commands share.
struct EditOptions: ParsableArguments {
    @Option(name: .long, help: "The tier to write: backend, workers_backend, env or metastore.") var tier: TierID
    @Flag(name: .customLong("dry-run"), help: "Print the plan and write nothing.") var dryRun = false
    @Option(name: .long, help: "text (default) or json: how the plan and the result are printed. (`--json` on `set conn` is the connection's JSON.)")
    var output: PlanOutput = .text

    var json: Bool { output == .json }
}

/// How the editing commands print.
enum PlanOutput: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `conn` or `var`.
enum KindArgument: String, ExpressibleByArgument, CaseIterable {
    case conn
    case `var`

    var secretKind: SecretKind { self == .conn ? .connection : .variable }
}

extension TierID: ExpressibleByArgument {}
extension ConnectionForm: ExpressibleByArgument {}
