import Engine
import Foundation
import Metastore
import Testing
import TestSupport

/// Multi-team lookups (Airflow 3.2+) against real Airflow 3.3.2: the same environment and
/// metastore, read by Airflow's `get_variable_from_secrets` / `get_connection_from_secrets`
/// with `team_name`, and by Strata's environment and metastore tiers for a deployment with
/// `team:`. The rows with a team are stored by Airflow itself, through its models.
@Suite("Multi-team lookups agree with real Airflow 3.3.2", .serialized)
struct MultiTeamRealAirflowTests {
    static let environment = [
        "AIRFLOW_VAR__TEAM_A___E1": "team e1", "AIRFLOW_VAR_E1": "global e1",
        "AIRFLOW_VAR__TEAM_A___E2": "", "AIRFLOW_VAR_E2": "global e2",
        "AIRFLOW_VAR__TEAM_A___E4": "",
        "AIRFLOW_VAR_X___Y": "three underscores",
        "AIRFLOW_VAR__TEAM-B___E3": "team-b e3",
        "AIRFLOW_CONN__TEAM_A___C1": "   ", "AIRFLOW_CONN_C1": "http://global-c1",
        "AIRFLOW_CONN__TEAM_A___C2": "http://team-c2", "AIRFLOW_CONN_C2": "http://global-c2",
        "AIRFLOW_CONN__TEAM_A___C3": "", "AIRFLOW_CONN_C3": "http://global-c3",
    ]

    static let seed = RealAirflowLookups.Seed(
        teams: ["team_a", "team-b"],
        variables: [("s_a", "team a's", "team_a"), ("s_b", "team b's", "team-b"), ("s_g", "everyone's", nil)],
        connections: [("sc_a", "a.example", "team_a"), ("sc_b", "b.example", "team-b")])

    static let lookups: [(kind: String, key: String)] = [
        ("variable", "e1"), ("variable", "E2"), ("variable", "e4"), ("variable", "x___y"), ("variable", "e3"),
        ("variable", "s_a"), ("variable", "s_b"), ("variable", "s_g"), ("variable", "nf_plain"),
        ("connection", "c1"), ("connection", "c2"), ("connection", "c3"),
        ("connection", "sc_a"), ("connection", "sc_b"), ("connection", "nf_postgres"),
    ]

    static let scenarios = [
        RealAirflowLookups.Scenario(multiTeam: true, team: "team_a", environment: environment, lookups: lookups),
        RealAirflowLookups.Scenario(multiTeam: true, team: "team-b", environment: environment, lookups: lookups),
        RealAirflowLookups.Scenario(multiTeam: true, team: nil, environment: environment, lookups: lookups),
        RealAirflowLookups.Scenario(multiTeam: false, team: nil, environment: environment, lookups: lookups),
    ]

    /// Strata's answers for `scenario`: the winning variable value or connection host.
    static func strata(_ scenario: RealAirflowLookups.Scenario, database: URL) async throws -> [RealAirflowLookups.Answer] {
        var environment = scenario.environment
        environment["AIRFLOW__CORE__MULTI_TEAM"] = scenario.multiTeam ? "True" : "False"
        var deployment = Deployment(name: "teams", airflowVersion: .v3, environment: DeploymentEnvironment(environment),
                                    metastoreURL: "sqlite://" + database.path)
        deployment.team = scenario.team
        let tiers: [any TierSource] = [
            EnvironmentTier(environment: deployment.environment, dialect: .core, teams: deployment.teamLookup),
            try MetastoreTier(deployment: deployment),
        ]
        let state = await DeploymentLoader(factory: FixedTierFactory(tiers)).loadAll(deployment, context: .server)
        return scenario.lookups.map { lookup in
            let key = lookup.kind == "variable" ? SecretKey.variable(lookup.key) : SecretKey.connection(lookup.key)
            let value: String?
            switch state.resolve(key).value {
            case .variable(let text)?: value = text
            case .connection(let connection)?: value = connection.host
            case nil: value = nil
            }
            return RealAirflowLookups.Answer(kind: lookup.kind, key: lookup.key, value: value)
        }
    }

    @Test func everyScenarioResolvesAsAirflowDoes() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        let airflow = try await RealAirflowLookups.run(database: database, seed: Self.seed, scenarios: Self.scenarios)
        try #require(airflow.count == Self.scenarios.count)
        for (scenario, expected) in zip(Self.scenarios, airflow) {
            let strata = try await Self.strata(scenario, database: database)
            let label = "multi_team=\(scenario.multiTeam) team=\(scenario.team ?? "none")"
            for (mine, theirs) in zip(strata, expected) {
                #expect(mine == theirs, "\(label): \(mine.kind) \(mine.key)")
            }
        }
        // The comparisons above must cover each rule, not only agree: Airflow's answers for
        // team_a show the team name first, the empty-team fall-through, the refusal of '___',
        // and the metastore's team filter.
        let teamA = Dictionary(uniqueKeysWithValues: airflow[0].map { ($0.key, $0.value) })
        #expect(teamA["e1"] == "team e1")
        #expect(teamA["E2"] == "global e2")
        #expect(teamA["x___y"] == .some(nil))
        #expect(teamA["s_a"] == "team a's")
        #expect(teamA["s_b"] == .some(nil))
        #expect(teamA["c2"] == "team-c2")
        let off = Dictionary(uniqueKeysWithValues: airflow[3].map { ($0.key, $0.value) })
        #expect(off["x___y"] == "three underscores")
        #expect(off["s_a"] == .some(nil), "without a team, team rows are never returned")
    }

    @Test func anotherTeamsRowIsListedAsAbsentAndSaysWhy() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        _ = try await RealAirflowLookups.run(database: database, seed: Self.seed, scenarios: [])
        var deployment = MetastoreFixture.deployment(database, fernetKey: nil)
        deployment.environment.set("AIRFLOW__CORE__MULTI_TEAM", "True", origin: .inline)
        deployment.team = "team_a"
        let records = try await MetastoreTier(deployment: deployment).load().records
        let own = try #require(records.first { $0.name == "s_a" })
        #expect(own.state == .present(.variable("team a's")))
        let other = try #require(records.first { $0.name == "s_b" })
        #expect(other.state == .absent)
        #expect(other.metadata["team_name"] == "team-b")
        #expect(other.metadata["scope"]?.contains("team_name = 'team_a' OR NULL") == true)

        // Lint notes the row as another team's rather than as a value no tier can use.
        let state = await DeploymentLoader(factory: FixedTierFactory([try MetastoreTier(deployment: deployment)]))
            .loadAll(deployment, context: .server)
        let findings = Linter().lint(state).filter { $0.key == .variable("s_b") }
        #expect(findings.map(\.rule) == ["other-team-row"])
    }
}
