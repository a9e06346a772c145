import ArgumentParser
import Engine
import PythonCompat

/// `strata explain ID`: where one key's value comes from, and why each other tier missed.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain how one variable or connection resolves: the winner, every tier's state and name."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The variable key or connection id.") var id: String
    @Flag(name: .customLong("var"), help: "ID is a variable key.") var isVariable = false
    @Flag(name: .customLong("conn"), help: "ID is a connection id.") var isConnection = false

    func validate() throws {
        if isVariable && isConnection { throw ValidationError("--var and --conn exclude each other; give at most one") }
    }

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let deployment = try global.selectDeployment(in: workspace)
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        var kinds: [SecretKind] = isVariable ? [.variable] : isConnection ? [.connection] : [.connection, .variable]
        if !isVariable && !isConnection {
            // Without a kind, explain what exists; if neither exists, explain both misses.
            let existing = kinds.filter { kind in state.resolve(SecretKey(kind, id)).tiers.contains { $0.record != nil } }
            if !existing.isEmpty { kinds = existing }
        }
        let resolutions = kinds.map { state.resolve(SecretKey($0, id)) }
        let others = await Self.otherContexts(of: state)
        let comparisons = kinds.map { ContextComparison(key: SecretKey($0, id), states: [state] + others) }
        if output.json {
            let cache = SecretsCache.configured(in: deployment.environment)
            let entries = resolutions.map { resolution -> JSONValue in
                var entry = resolution.jsonEntry(masking: output.masking, includeDetail: true, exactFailures: state.exactFailureReasons)
                if case .object(var object) = entry {
                    if let cache {
                        object["secrets_cache"] = .object(JSONObject([("ttl_seconds", cache.ttlSeconds.map { .integer(String($0)) } ?? .null),
                                                                      ("note", .string(cache.note(for: resolution.key.kind)))]))
                    }
                    if !others.isEmpty, let comparison = comparisons.first(where: { $0.key == resolution.key }) {
                        object["contexts"] = ExplainText.contextsJSON(comparison)
                    }
                    entry = .object(object)
                }
                return entry
            }
            print(JSONWriter.render(entries.count == 1 ? entries[0] : .array(entries)))
        } else {
            print(zip(resolutions, comparisons).map { resolution, comparison in
                let text = ExplainText.render(resolution, deployment: deployment, masking: output.masking,
                                              exactFailures: state.exactFailureReasons)
                return ExplainText.contexts(comparison).map { text + "\n" + $0 } ?? text
            }.joined(separator: "\n\n"))
        }
        if resolutions.allSatisfy({ $0.winner == nil }) {
            throw ExitCode(1)
        }
    }

    /// The deployment as Airflow 3's other processes see it, loaded side by side, so that
    /// explain can say where they disagree. Airflow 2 has one behaviour: nothing to load.
    static func otherContexts(of state: DeploymentState) async -> [DeploymentState] {
        guard state.deployment.airflowVersion == .v3 else { return [] }
        let deployment = state.deployment
        return await withTaskGroup(of: DeploymentState.self) { group in
            for context in LookupContext.allCases where context != state.context {
                group.addTask { await StrataRuntime.loader.loadAll(deployment, context: context) }
            }
            var states: [DeploymentState] = []
            for await loaded in group { states.append(loaded) }
            return states
        }
    }
}
