import Engine
import PythonCompat

/// The metastore tier of a deployment read through Airflow's REST API: every connection and
/// variable, paged, with the fields Airflow masks marked as hidden rather than taken as values.
public struct AirflowAPITier: TierSource {
    public let descriptor: TierDescriptor
    public let client: AirflowAPIClient
    /// Pages read at the same time.
    public let concurrency: Int

    public init(client: AirflowAPIClient, concurrency: Int = 8) {
        self.client = client
        self.concurrency = concurrency
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
                if let record = AirflowAPIEntry.connectionRecord(item, version: client.version) { records.append(record) } else { unusable += 1 }
            }
            for item in variableList.items {
                if let record = AirflowAPIEntry.variableRecord(item, reserializes: client.version == .v2) { records.append(record) } else { unusable += 1 }
            }
            if unusable > 0 {
                warnings.append("the API at \(client.host) answered \(unusable) item(s) without a usable connection_id or key; they are left out")
            }
            return AirflowAPIReadout(records: records, warnings: warnings,
                                     requests: connectionList.requests + variableList.requests)
        } catch let failure as AirflowAPIFailure {
            throw failure.tierError
        }
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
