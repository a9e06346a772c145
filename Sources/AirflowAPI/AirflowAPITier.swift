import Engine
import PythonCompat

/// The metastore tier of a deployment read through Airflow's REST API: every connection and
/// variable, paged, with the fields Airflow masks marked as hidden rather than taken as values.
public struct AirflowAPITier: TierSource {
    public let descriptor: TierDescriptor
    public let client: AirflowAPIClient
    /// Pages read at the same time.
    public let concurrency: Int
    /// Multi-team mode and the deployment's team: an entry whose `team_name` is another team's
    /// is one Airflow's lookups for this team never return, as in the metastore tier.
    public let teams: TeamLookup

    public init(client: AirflowAPIClient, concurrency: Int = 8, teams: TeamLookup = .off) {
        self.client = client
        self.concurrency = concurrency
        self.teams = teams
        self.descriptor = TierDescriptor(tier: .metastore, label: "metastore via REST API at \(client.host)",
                                         detail: client.settings.baseURL.absoluteString + client.version.prefix)
    }

    public func lookupName(for key: SecretKey) -> LookupName {
        // Airflow's metastore lookup queries the key / conn_id exactly.
        .name(key.id)
    }

    public func load() async throws -> TierSnapshot {
        try await read().snapshot
    }

    /// Both collections, read at the same time.
    public func read() async throws -> AirflowAPIReadout {
        do {
            async let connections = client.listAll(.connections, concurrency: concurrency)
            async let variables = client.listAll(.variables, concurrency: concurrency)
            var (connectionList, variableList) = try await (connections, variables)
            if client.version == .v1 {
                // Airflow 2 lists connections without their extra: each is read on its own.
                connectionList.items = try await client.withExtras(connectionList.items, concurrency: concurrency)
                connectionList.requests += connectionList.items.count
            }
            var warnings = [connectionList.warning, variableList.warning].compactMap { $0 }
            var records: [TierRecord] = []
            records.reserveCapacity(connectionList.items.count + variableList.items.count)
            var unusable = 0
            for item in connectionList.items {
                if let record = AirflowAPIEntry.connectionRecord(item, version: client.version) { records.append(scoped(record)) } else { unusable += 1 }
            }
            for item in variableList.items {
                if let record = AirflowAPIEntry.variableRecord(item, reserializes: client.version == .v2) { records.append(scoped(record)) } else { unusable += 1 }
            }
            if unusable > 0 {
                warnings.append("the API at \(client.host) answered \(unusable) item(s) without a usable connection_id or key; they are left out")
            }
            if let warning = teamWarning(connectionList.items + variableList.items) { warnings.append(warning) }
            return AirflowAPIReadout(records: records, warnings: warnings,
                                     requests: connectionList.requests + variableList.requests)
        } catch let failure as AirflowAPIFailure {
            throw failure.tierError
        }
    }
}

extension AirflowAPITier {
    /// `record` as a lookup made for this deployment's team sees it. Airflow 3.2+'s API reports
    /// every entry's `team_name` (null for a global one) and lists every team's entries to an
    /// admin; Airflow's own lookups filter by team in the metastore, so Strata does it here.
    func scoped(_ record: TierRecord) -> TierRecord {
        Self.scoped(record, teams: teams)
    }

    static func scoped(_ record: TierRecord, teams: TeamLookup) -> TierRecord {
        record.scoped(toTeam: teams.team, rowTeam: record.metadataValue(forKey: TierRecord.teamNameKey))
    }

    /// Why this listing cannot be split by team: multi-team mode is on but the API's entries
    /// carry no `team_name` field at all (an API before Airflow 3.2 has none), so every entry
    /// is shown as this deployment's own. Nil when the API reports teams or none are in play.
    func teamWarning(_ items: [JSONObject]) -> String? {
        guard teams.isMultiTeam, items.contains(where: { $0["team_name"] == nil }) else { return nil }
        return "multi-team mode is on, but the API at \(client.host) reports no team_name for its entries (its Airflow is older "
            + "than 3.2?): Strata cannot tell which team each belongs to and shows every entry as this deployment's; "
            + "Airflow's own lookups still skip another team's row"
    }
}

/// What one read of the API found.
public struct AirflowAPIReadout: Sendable {
    public var records: [TierRecord]
    public var warnings: [String]
    /// Requests the listing took (for the benchmark's paging floor).
    public var requests: Int

    public var snapshot: TierSnapshot { TierSnapshot(records: records, warnings: warnings) }
}
