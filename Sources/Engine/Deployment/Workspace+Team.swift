import Foundation

extension Workspace {
    /// Reads a deployment's `team: NAME`, refusing what Airflow would refuse: a name outside
    /// `^[a-zA-Z0-9_-]{3,50}$`, a team on Airflow 2, and a team while `[core] multi_team` is not
    /// on — Airflow then raises `ValueError` ("Multi-team mode is not configured…") on every
    /// lookup the team's tasks make. Runs after the environment is read, which holds the setting.
    static func readTeam<Node: WorkspaceNode>(_ node: Node, of deployment: Deployment, reader: YAMLReader<Node>) throws -> String {
        let name = deployment.name
        let team = try reader.string(node, what: "team")
        if let problem = TeamLookup.problem(withTeamName: team) {
            throw reader.error(node, "deployment '\(DotEnvFile.inert(name))': \(problem)",
                               fix: "write the team's name as `airflow teams list` shows it")
        }
        guard deployment.airflowVersion == .v3 else {
            throw reader.error(node, "deployment '\(DotEnvFile.inert(name))': teams need Airflow 3.2 or later, and this deployment is Airflow 2",
                               fix: "remove `team:` or set `airflow: 3`")
        }
        switch TeamLookup.multiTeamSetting(in: deployment.environment) {
        case .success(true):
            return team
        case .success(false):
            throw reader.error(node, "deployment '\(DotEnvFile.inert(name))' belongs to team '\(team)' but [core] multi_team is not on in its environment; "
                               + "Airflow raises ValueError (\"Multi-team mode is not configured in the Airflow environment…\") for every lookup a team's task makes",
                               fix: "set \(TeamLookup.settingName)=True in the deployment's env or env_files (Strata reads the setting only from there), or remove `team:`")
        case .failure(let error):
            throw reader.error(node, "deployment '\(DotEnvFile.inert(name))': \(TeamLookup.settingName) is '\(DotEnvFile.inert(String(error.value.prefix(40))))', "
                               + "which Airflow's getboolean rejects (AirflowConfigException)",
                               fix: "set it to True or False")
        }
    }
}
