import Engine
import Testing
import TestSupport

// Each rule here was checked against Airflow 3.3.2's EnvironmentVariablesBackend with
// AIRFLOW__CORE__MULTI_TEAM=True (Variable.get_variable_from_secrets(key, team_name=...)); the
// MetastoreTests suite runs the same comparisons against real Airflow.

@Suite("Environment tier: team-scoped names (multi-team)")
struct EnvironmentTierTeamTests {
    static let team = TeamLookup(isMultiTeam: true, team: "team_a")

    static func tier(_ variables: [String: String], teams: TeamLookup = team) -> EnvironmentTier {
        EnvironmentTier(environment: DeploymentEnvironment(variables), dialect: .core, teams: teams)
    }

    static func resolve(_ variables: [String: String], teams: TeamLookup = team) async -> [Resolution] {
        let state = await DeploymentLoader(factory: FixedTierFactory([tier(variables, teams: teams)]))
            .loadAll(Deployment(name: "d"), context: .server)
        return state.resolveAll()
    }

    @Test func theTeamsNameIsAskedFirstThenTheGlobalOne() {
        let tier = Self.tier([:])
        #expect(tier.lookupName(for: .variable("my_key")) == .name("AIRFLOW_VAR__TEAM_A___MY_KEY"))
        #expect(tier.globalLookupName(for: .variable("my_key")) == .name("AIRFLOW_VAR_MY_KEY"))
        #expect(tier.lookupName(for: .connection("my-db")) == .name("AIRFLOW_CONN__TEAM_A___MY-DB"))
        #expect(tier.globalLookupName(for: .connection("my-db")) == .name("AIRFLOW_CONN_MY-DB"))
    }

    @Test func withoutATeamOnlyTheGlobalNameIsAsked() {
        let tier = Self.tier([:], teams: TeamLookup(isMultiTeam: true))
        #expect(tier.lookupName(for: .variable("k")) == .name("AIRFLOW_VAR_K"))
        #expect(tier.globalLookupName(for: .variable("k")) == nil)
    }

    @Test func idsWithThreeUnderscoresAreRefusedInMultiTeamModeOnly() {
        for teams in [Self.team, TeamLookup(isMultiTeam: true)] {
            let name = Self.tier([:], teams: teams).lookupName(for: .variable("x___y"))
            guard case .skipped(let reason) = name else { Issue.record("x___y was looked up as \(name)"); continue }
            #expect(reason.contains("'___'"))
        }
        #expect(Self.tier([:], teams: .off).lookupName(for: .variable("x___y")) == .name("AIRFLOW_VAR_X___Y"))
    }

    @Test func theTeamsValueWinsOverTheGlobalOne() async throws {
        let keys = await Self.resolve(["AIRFLOW_VAR__TEAM_A___E1": "team value", "AIRFLOW_VAR_E1": "global value"])
        let e1 = try #require(keys.first { $0.key == .variable("e1") })
        #expect(e1.value == .variable("team value"))
        #expect(e1.winning?.lookup == .name("AIRFLOW_VAR__TEAM_A___E1"))
        #expect(keys.count == 1, "both names are one key")
    }

    @Test func anEmptyTeamValueFallsThroughToTheGlobalName() async throws {
        let keys = await Self.resolve(["AIRFLOW_VAR__TEAM_A___E2": "", "AIRFLOW_VAR_E2": "global value"])
        let e2 = try #require(keys.first { $0.key == .variable("e2") })
        #expect(e2.value == .variable("global value"))
        #expect(e2.winning?.lookup == .name("AIRFLOW_VAR_E2"))
    }

    @Test func anEmptyTeamValueWithNoGlobalNameIsAMiss() async throws {
        let keys = await Self.resolve(["AIRFLOW_VAR__TEAM_A___E4": ""])
        let e4 = try #require(keys.first { $0.key == .variable("e4") })
        #expect(e4.winner == nil)
        #expect(e4.tiers.first { $0.tier == .env }?.lookup == .name("AIRFLOW_VAR__TEAM_A___E4"))
    }

    @Test func aMissingTeamValueFallsThroughToTheGlobalName() async throws {
        let keys = await Self.resolve(["AIRFLOW_VAR_G": "global value"])
        #expect(keys.first { $0.key == .variable("g") }?.value == .variable("global value"))
    }

    @Test func anotherTeamsNameIsNeverRead() async throws {
        let tier = Self.tier(["AIRFLOW_VAR__TEAM-B___E3": "b value"])
        let record = try #require(tier.snapshot().records.first)
        #expect(record.suggestedID == "e3")
        #expect(record.metadata["team"] == "TEAM-B")
        #expect(record.metadata["scope"]?.contains("another team's") == true)
        let keys = await Self.resolve(["AIRFLOW_VAR__TEAM-B___E3": "b value"])
        #expect(keys.first { $0.key == .variable("e3") }?.winner == nil)
    }

    @Test func theOwnTeamsNameIsTaggedAsSuch() throws {
        let record = try #require(Self.tier(["AIRFLOW_VAR__TEAM_A___E1": "v"]).snapshot().records.first)
        #expect(record.suggestedID == "e1")
        #expect(record.metadata["team"] == "team_a")
        #expect(record.metadata["scope"]?.contains("this deployment's") == true)
    }

    @Test func aWhitespaceTeamConnectionFailsRatherThanFallingThrough() async throws {
        // Airflow gets "   " from the team name, raises IndexError parsing it and moves on to the
        // next tier: the global AIRFLOW_CONN_C1 is never read.
        let keys = await Self.resolve(["AIRFLOW_CONN__TEAM_A___C1": "   ", "AIRFLOW_CONN_C1": "http://global"])
        let c1 = try #require(keys.first { $0.key == .connection("c1") })
        #expect(c1.winner == nil)
        let env = c1.tiers.first { $0.tier == .env }
        if case .unreadable = env?.state {} else { Issue.record("expected unreadable, got \(String(describing: env?.state))") }
    }

    @Test func lintFlagsAnIdMultiTeamModeNeverLooksUp() async throws {
        let state = await DeploymentLoader(factory: FixedTierFactory([Self.tier(["AIRFLOW_VAR_X___Y": "v", "AIRFLOW_VAR_OK": "v"])]))
            .loadAll(Deployment(name: "d"), context: .server)
        let findings = Linter().lint(state).filter { $0.rule == "team-refused-id" }
        #expect(findings.map(\.key) == [.variable("x___y")])
        #expect(findings.first?.message.contains("'___'") == true)
    }
}
