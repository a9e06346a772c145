import Engine

extension EditError {
    /// The refusal to write `key` over a metastore row that belongs to another team.
    ///
    /// Airflow 3.2+'s `variable.key` and `connection.conn_id` are unique across teams (the
    /// multi-team migration added `team_name` without touching the unique constraint), so this
    /// team can store no row of its own under the id; and Airflow's `Variable.set(..., team_name=)`
    /// upserts on the key alone, so writing would change the other team's value while this
    /// team's lookups still read nothing.
    public static func otherTeamsRow(_ key: SecretKey, rowTeam: String, team: String?, label: String) -> EditError {
        let reader = team.map { "team '\(InertText.make($0))'" } ?? "a deployment without a team"
        return EditError(.invalid, "\(key) in \(label) belongs to team '\(InertText.make(rowTeam))' (its team_name): Airflow's lookups for "
                         + "\(reader) never return it, and the id is unique across teams, so there is no row of this team's own to write; "
                         + "nothing was written. Keep this team's value in another tier under its team name, or ask team "
                         + "'\(InertText.make(rowTeam))' to rename or delete theirs.")
    }
}
