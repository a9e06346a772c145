extension TierRecord {
    /// The metadata key naming the team a metastore row belongs to (its `team_name` column, or
    /// the REST API's `team_name` field).
    public static let teamNameKey = "team_name"

    /// The team another team's row belongs to: set when the row has a `team_name` that is not
    /// `team`, the team this deployment's lookups are made for (nil: no team).
    public func otherTeam(than team: String?) -> String? {
        guard let rowTeam = metadataValue(forKey: Self.teamNameKey), rowTeam != team else { return nil }
        return rowTeam
    }

    /// This metastore row as a lookup made for `team` sees it. Airflow 3's metastore backend adds
    /// `AND (team_name = :team OR team_name IS NULL)` to every lookup — with no team, `IS NULL`
    /// alone — so a row of another team is never returned: it stays listed (the key is unique
    /// across teams, so it also keeps this deployment from storing one of its own) but is
    /// absent, and says why.
    public func scoped(toTeam team: String?, rowTeam: String?) -> TierRecord {
        guard let rowTeam, rowTeam != team else { return self }
        var scoped = self
        scoped.state = .absent
        var metadata = scoped.metadata
        metadata["scope"] = team.map {
            "team_name is '\(InertText.make(rowTeam))': Airflow's lookups for team '\($0)' select team_name = '\($0)' OR NULL, so they never return this row"
        } ?? "team_name is '\(InertText.make(rowTeam))': Airflow's lookups without a team select team_name IS NULL, so they never return this row"
        scoped.metadata = metadata
        return scoped
    }
}
