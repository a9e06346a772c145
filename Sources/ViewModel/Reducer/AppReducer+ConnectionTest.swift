import Engine

extension AppReducer {
    /// `t`: asks the deployment's own Airflow to test the selected connection's resolved value.
    static func testSelectedConnection(_ state: inout AppState) -> [AppEffect] {
        guard let entry = state.selectedEntry, entry.resolution.key.kind == .connection else {
            show(&state, "select a connection to test", .info)
            return []
        }
        guard let deployment = state.activeDeploymentValue else { return [] }
        guard deployment.api != nil else {
            show(&state, "deployment \(InertText.make(deployment.name)) has no api: block: Strata asks a deployment's Airflow "
                 + "to test a connection through its REST API", .warning)
            return []
        }
        guard case .connection(let connection)? = entry.resolution.value, let winning = entry.resolution.winning else {
            show(&state, "\(entry.displayID) has no value in any tier: nothing to test", .warning)
            return []
        }
        if let hidden = winning.record?.hiddenFields, !hidden.isEmpty {
            show(&state, "\(entry.displayID): \(hidden.names.map(InertText.make).joined(separator: ", ")) is hidden by "
                 + "\(winning.label); Strata never sends a hidden field", .warning)
            return []
        }
        show(&state, "testing \(entry.displayID) from \(InertText.make(deployment.name))'s Airflow…", .info)
        return [.testConnection(deployment, id: entry.resolution.key.id, connection: connection)]
    }

    /// What the deployment's Airflow said, on the status line (already masked; made inert here).
    static func showTestOutcome(_ state: inout AppState, id: String, outcome: ConnectionTestOutcome) {
        let name = InertText.make(id)
        switch outcome {
        case .tested(true, let message):
            show(&state, "\(name): Airflow's test succeeded" + (message.isEmpty ? "" : ": " + InertText.make(message)), .info)
        case .tested(false, let message):
            show(&state, "\(name): Airflow's test FAILED" + (message.isEmpty ? "" : ": " + InertText.make(message)), .error)
        case .disabled(let message):
            show(&state, "\(name): " + InertText.make(message), .warning)
        case .notAsked(let reason):
            show(&state, "\(name): not tested: " + InertText.make(reason), .error)
        }
    }
}
