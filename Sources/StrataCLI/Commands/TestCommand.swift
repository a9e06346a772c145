import AirflowAPI
import ArgumentParser
import Engine
import PythonCompat

/// `strata test conn ID`: asks the deployment's own Airflow to test a connection.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Ask a deployment's Airflow to test something through its REST API.",
        subcommands: [TestConnectionCommand.self]
    )
}

/// Tests the value Strata resolves for a connection, from the deployment's own network.
struct TestConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conn",
        abstract: "Test the value Strata resolves for a connection, through the deployment's Airflow REST API.",
        discussion: """
        The deployment needs an `api:` block. Airflow runs the hook's test from its own network and \
        nothing is stored. Exit status: 0 when the test succeeded, 1 when it failed, testing is \
        disabled on that Airflow, or the value cannot be sent (a field its source hides).
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON for scripts.") var json = false
    @Argument(help: "The connection id.") var id: String

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let deployment = try global.selectDeployment(in: workspace)
        let name = InertText.make(deployment.name)
        guard deployment.api != nil else {
            throw CLIError("deployment '\(name)' has no `api:` block: Strata asks a deployment's Airflow to test a connection "
                           + "through its REST API. Add `api:` to its entry in strata.yaml (see the README).")
        }
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        let resolution = state.resolve(SecretKey(.connection, id))
        guard let winning = resolution.winning, case .connection(let connection)? = resolution.value else {
            throw CLIError("connection '\(InertText.make(id))' has no usable value in deployment '\(name)': no tier supplies one "
                           + "(see `strata explain --conn \(InertText.make(id))`)")
        }
        let hidden = winning.record?.hiddenFields ?? .none
        guard hidden.isEmpty else {
            throw CLIError("the value of '\(InertText.make(id))' comes from \(winning.label), which hides "
                           + "\(hidden.names.map { InertText.make($0) }.joined(separator: ", ")); Strata never sends a hidden field. "
                           + "Test it where the whole value is readable (a deployment with `metastore:` set).")
        }
        let client = try AirflowAPITierProvider().makeClient(for: deployment).withRequestTimeout(deployment.timeouts.tier)
        let outcome: ConnectionTestOutcome
        do {
            outcome = try await client.testConnection(id, connection)
        } catch let failure as AirflowAPIFailure {
            throw CLIError(failure.message)
        }
        let source = "\(winning.tier.rawValue) (\(winning.label))"
        switch outcome {
        case .tested(let succeeded, let message):
            if json {
                print(JSONWriter.render(.object(JSONObject([("id", .string(id)), ("tier", .string(winning.tier.rawValue)),
                                                            ("outcome", .string(succeeded ? "succeeded" : "failed")),
                                                            ("message", .string(message))]))))
            } else {
                print("Airflow at \(client.host) tested connection '\(InertText.make(id))' (value from \(source)): "
                      + (succeeded ? "OK" : "FAILED"))
                if !message.isEmpty { print("  \(message)") }
            }
            if !succeeded { throw ExitCode(1) }
        case .notAsked(let reason):
            throw CLIError(reason)
        case .disabled(let message):
            if json {
                print(JSONWriter.render(.object(JSONObject([("id", .string(id)), ("tier", .string(winning.tier.rawValue)),
                                                            ("outcome", .string("disabled")), ("message", .string(message))]))))
                throw ExitCode(1)
            }
            throw CLIError(message)
        }
    }
}
