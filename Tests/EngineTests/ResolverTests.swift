import Engine
import Testing
import TestSupport

@Suite("Resolver: first hit wins, with provenance")
struct ResolverTests {
    let deployment = Deployment(name: "test")

    func resolve(_ sources: [any TierSource], version: AirflowVersion = .v3,
                 context: LookupContext = .server) async -> DeploymentState {
        var deployment = deployment
        deployment.airflowVersion = version
        return await DeploymentLoader(factory: FixedTierFactory(sources)).loadAll(deployment, context: context)
    }

    func entry(_ state: DeploymentState, _ key: SecretKey) throws -> Resolution {
        try #require(state.resolveAll().first { $0.key == key })
    }

    @Test func theBackendShadowsEnvironmentAndMetastore() async throws {
        let state = await resolve([
            InMemoryTier(.backend, records: [.variable("region", "eu-west-1")]),
            InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_REGION", "us-east-1", id: "region")],
                         naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.variable("region", "eu-west-1")]),
        ])
        let region = try entry(state, .variable("region"))
        #expect(region.winner == .backend)
        #expect(region.value == .variable("eu-west-1"))
        #expect(region.tiers.map(\.comparison) == [.winner, .differs, .same])
        #expect(region.tiers[1].lookup == .name("AIRFLOW_VAR_REGION"))
        #expect(region.shadowed.count == 2)
        #expect(region.hasDifferences)
    }

    @Test func anEmptyVariableIsAHitButAnEmptyConnectionIsAMiss() async throws {
        let state = await resolve([
            InMemoryTier(.backend, records: [
                .variable("flag", ""),
                .record(.connection, "db", .empty),
            ]),
            InMemoryTier(.metastore, records: [
                .variable("flag", "on"),
                .connection("db", Connection(connType: "postgres", host: "h")),
            ]),
        ])
        let flag = try entry(state, .variable("flag"))
        #expect(flag.winner == .backend)
        #expect(flag.value == .variable(""))
        #expect(flag.tiers.last?.comparison == .differs)

        let db = try entry(state, .connection("db"))
        #expect(db.winner == .metastore)
        #expect(db.tiers.first?.state == .empty)
        #expect(db.tiers.first?.comparison == TierResolution.Comparison.none)
    }

    @Test func anUnreadableTierIsPassedOverAsAirflowDoes() async throws {
        let state = await resolve([
            InMemoryTier(.env, records: [.record(.connection, "AIRFLOW_CONN_DB", id: "db",
                                                 .unreadable(reason: "Invalid connection string."))],
                         naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.connection("db", Connection(connType: "mysql"))]),
        ])
        let db = try entry(state, .connection("db"))
        #expect(db.winner == .metastore)
        #expect(db.hasUnreadable)
        #expect(db.tiers.first { $0.tier == .env }?.state.reason == "Invalid connection string.")
    }

    @Test func aSkippedLookupNamesItsReasonAndFallsThrough() async throws {
        let state = await resolve([
            InMemoryTier(.backend, records: [], naming: { _ in .skipped(reason: "connections_lookup_pattern does not match") }),
            InMemoryTier(.metastore, records: [.connection("db", Connection(connType: "mysql"))]),
        ])
        let db = try entry(state, .connection("db"))
        #expect(db.winner == .metastore)
        #expect(db.tiers.first?.state == .skipped(reason: "connections_lookup_pattern does not match"))
    }

    @Test func idsThatShareAnEnvironmentNameAreReportedAsCollisions() async throws {
        let state = await resolve([
            InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_MY_VAR", "from-env", id: "my_var")],
                         naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.variable("my_var", "lower"), .variable("MY_VAR", "upper")]),
        ])
        let all = state.resolveAll()
        #expect(all.map(\.key.id) == ["MY_VAR", "my_var"])
        for resolution in all {
            #expect(resolution.winner == .env)
            #expect(resolution.value == .variable("from-env"))
        }
        #expect(all[0].collisions == ["my_var"])
        #expect(all[1].collisions == ["MY_VAR"])
    }

    @Test func anEnvironmentRecordBelongsToTheIdAnotherTierNames() async throws {
        let state = await resolve([
            InMemoryTier(.env, records: [
                .variable("AIRFLOW_VAR_REGION", "eu", id: "region"),
                .variable("AIRFLOW_VAR_ONLY_HERE", "x", id: "only_here"),
            ], naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.variable("Region", "us")]),
        ])
        let ids = state.resolveAll().map(\.key.id)
        #expect(ids == ["Region", "only_here"])
        let region = try entry(state, .variable("Region"))
        #expect(region.winner == .env)
        #expect(region.collisions.isEmpty)
    }

    @Test func aFailedTierIsUnavailableAndTheOthersStillResolve() async throws {
        let state = await resolve([
            InMemoryTier(.backend, records: [], failure: "Vault is sealed (503); unseal it, then press R"),
            InMemoryTier(.metastore, records: [.variable("k", "v")]),
        ])
        let k = try entry(state, .variable("k"))
        #expect(k.winner == .metastore)
        #expect(k.tiers.first?.state == .unavailable(reason: "Vault is sealed (503); unseal it, then press R"))
        #expect(!state.isLoading)
    }

    @Test func tiersStillLoadingShowAsLoading() throws {
        let slots = [TierSlot(source: InMemoryTier(.backend, records: [])),
                     TierSlot(source: InMemoryTier(.metastore, records: []))]
        let state = DeploymentState(deployment: deployment, context: .server, slots: slots)
        #expect(state.isLoading)
        let missing = state.resolve(.variable("nothing"))
        #expect(missing.winner == nil)
        #expect(missing.tiers.first { $0.tier == .backend }?.state == .loading)
        #expect(missing.tiers.first { $0.tier == .env }?.state == .notConfigured(reason: "not configured"))
    }

    @Test func workersAskTheirOwnBackendFirstOnAirflow3() async throws {
        let sources: [any TierSource] = [
            InMemoryTier(.workersBackend, records: [.variable("k", "worker")]),
            InMemoryTier(.backend, records: [.variable("k", "server")]),
            InMemoryTier(.metastore, records: []),
        ]
        let worker = await resolve(sources, context: .worker)
        #expect(worker.chain == [.workersBackend, .env, .backend, .metastore])
        #expect(try entry(worker, .variable("k")).winner == .workersBackend)

        let server = await resolve(sources, context: .server)
        #expect(server.chain == [.backend, .env, .metastore])
        #expect(try entry(server, .variable("k")).winner == .backend)

        let airflow2 = await resolve(sources, version: .v2, context: .worker)
        #expect(airflow2.chain == [.backend, .env, .metastore])
    }

    @Test func connectionsCompareExtrasAsJSONNotText() async throws {
        let a = Connection(connType: "http", host: "h", extra: #"{"a": 1, "b": [true]}"#)
        let b = Connection(connType: "http", host: "h", extra: #"{"a":1,"b":[true]}"#)
        let c = Connection(connType: "http", host: "h", extra: #"{"a": 2}"#)
        let state = await resolve([
            InMemoryTier(.backend, records: [.connection("x", a)]),
            InMemoryTier(.env, records: [.connection("AIRFLOW_CONN_X", b, id: "x")], naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.connection("x", c)]),
        ])
        let x = try entry(state, .connection("x"))
        #expect(x.tiers.map(\.comparison) == [.winner, .same, .differs])
    }

    /// Airflow compares ids as Python strings, code point by code point: `café` written with one
    /// code point and with `e` + U+0301 are two variables, though Swift's `==` equates them.
    @Test func canonicallyEquivalentIdsAreDifferentKeysAsInAirflow() async throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let state = await resolve([
            InMemoryTier(.backend, records: [.variable(composed, "one")]),
            InMemoryTier(.metastore, records: [.variable(decomposed, "two")]),
        ])
        let resolutions = state.resolveAll()
        #expect(resolutions.count == 2)
        let one = try #require(resolutions.first { $0.key.id.unicodeScalars.elementsEqual(composed.unicodeScalars) })
        let two = try #require(resolutions.first { $0.key.id.unicodeScalars.elementsEqual(decomposed.unicodeScalars) })
        #expect(one.winner == .backend)
        #expect(one.tiers.last?.state == .absent)
        #expect(two.winner == .metastore)
        #expect(two.tiers.first?.state == .absent)
    }

    /// A row found through a record reads its name and state from that record; assigning
    /// either replaces it for that row only.
    @Test func aFoundRowReportsItsRecordsNameAndStateUntilOverwritten() async throws {
        let state = await resolve([
            InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_REGION", "us-east-1", id: "region")],
                         naming: InMemoryTier.environmentNaming),
        ])
        var row = try #require(try entry(state, .variable("region")).tiers.first { $0.tier == .env })
        #expect(row.lookup == .name("AIRFLOW_VAR_REGION"))
        #expect(row.state == .present(.variable("us-east-1")))
        #expect(row.record?.name == "AIRFLOW_VAR_REGION")
        row.state = .unavailable(reason: "gone")
        #expect(row.lookup == .name("AIRFLOW_VAR_REGION"))
        #expect(row.state == .unavailable(reason: "gone"))
        row.lookup = .skipped(reason: "x")
        #expect(row.state == .unavailable(reason: "gone"))
        #expect(row.lookup == .skipped(reason: "x"))
    }

    @Test func aKeyNoTierHoldsResolvesToNothingWithEveryNameItWasLookedUpUnder() async throws {
        let state = await resolve([
            InMemoryTier(.env, records: [], naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: []),
        ])
        let missing = state.resolve(.connection("ghost"))
        #expect(missing.winner == nil)
        #expect(missing.value == nil)
        #expect(missing.tiers.map(\.lookup) == [nil, .name("AIRFLOW_CONN_GHOST"), .name("ghost")])
        #expect(missing.tiers.dropFirst().allSatisfy { $0.state == .absent })
    }
}
