import Engine

extension MetastoreTier {
    /// `record` as a lookup made for `team` sees it. Airflow 3's metastore backend adds
    /// `AND (team_name = :team OR team_name IS NULL)` to every lookup — with no team, `IS NULL`
    /// alone — so a row of another team is never returned: it stays listed (the key is unique
    /// across teams, so it also keeps this deployment from storing one of its own) but is
    /// absent, and says why.
    static func scoped(_ record: TierRecord, rowTeam: String?, team: String?) -> TierRecord {
        guard let rowTeam, rowTeam != team else { return record }
        var scoped = record
        scoped.state = .absent
        var metadata = scoped.metadata
        metadata["scope"] = team.map {
            "team_name is '\(InertText.make(rowTeam))': Airflow's lookups for team '\($0)' select team_name = '\($0)' OR NULL, so they never return this row"
        } ?? "team_name is '\(InertText.make(rowTeam))': Airflow's lookups without a team select team_name IS NULL, so they never return this row"
        scoped.metadata = metadata
        return scoped
    }
}
