import Engine

extension MetastoreTier {
    /// `record` as a lookup made for `team` sees it: another team's row is absent, with why.
    static func scoped(_ record: TierRecord, rowTeam: String?, team: String?) -> TierRecord {
        record.scoped(toTeam: team, rowTeam: rowTeam)
    }
}
