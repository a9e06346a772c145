import Engine
import Foundation
import Testing

/// A deployment's `team:` (Airflow 3.2+ multi-team): accepted only as Airflow accepts it.
@Suite("Workspace: a deployment's team")
struct WorkspaceTeamTests {
    static func parse(team: String, env: [String: String] = ["AIRFLOW__CORE__MULTI_TEAM": "True"], airflow: Int = 3) throws -> Deployment {
        var lines = ["deployments:", "  - name: analytics", "    airflow: \(airflow)"]
        if !env.isEmpty {
            lines.append("    env:")
            for (name, value) in env.sorted(by: { $0.key < $1.key }) { lines.append("      \(name): \"\(value)\"") }
        }
        lines.append("    team: \(team)")
        let workspace = try Workspace.parse(lines.joined(separator: "\n") + "\n", at: URL(fileURLWithPath: "/w/strata.yaml"),
                                            processEnvironment: [:])
        return try #require(workspace.deployments.first)
    }

    static func error(team: String, env: [String: String] = ["AIRFLOW__CORE__MULTI_TEAM": "True"], airflow: Int = 3) -> WorkspaceError? {
        do { _ = try parse(team: team, env: env, airflow: airflow); return nil } catch let error as WorkspaceError { return error } catch { return nil }
    }

    @Test func aTeamWithMultiTeamOnScopesEveryLookup() throws {
        let deployment = try Self.parse(team: "team_a-1")
        #expect(deployment.team == "team_a-1")
        #expect(deployment.teamLookup == TeamLookup(isMultiTeam: true, team: "team_a-1"))
    }

    @Test(arguments: ["True", "true", "t", "1", " TRUE ", "true # on"])
    func multiTeamIsOnAsAirflowsGetbooleanReadsIt(value: String) throws {
        #expect(try Self.parse(team: "abc", env: ["AIRFLOW__CORE__MULTI_TEAM": value]).teamLookup.team == "abc")
    }

    @Test(arguments: ["ab", String(repeating: "x", count: 51), "team.a", "team a", "équipe", "team/a"])
    func namesOutsideAirflowsRuleAreRefusedWithTheLine(name: String) throws {
        let error = try #require(Self.error(team: "\"\(name)\""))
        #expect(error.line == 6)
        #expect(error.problem.contains("^[a-zA-Z0-9_-]{3,50}$"))
    }

    @Test func fiftyCharactersAreAccepted() throws {
        #expect(try Self.parse(team: String(repeating: "x", count: 50)).team?.count == 50)
    }

    @Test(arguments: [[:], ["AIRFLOW__CORE__MULTI_TEAM": "False"], ["AIRFLOW__CORE__MULTI_TEAM": "0"]])
    func aTeamWithoutMultiTeamIsAirflowsValueError(env: [String: String]) throws {
        let error = try #require(Self.error(team: "team_a", env: env))
        #expect(error.line == (env.isEmpty ? 4 : 6))
        #expect(error.problem.contains("ValueError"))
        #expect(error.fix.contains("AIRFLOW__CORE__MULTI_TEAM=True"))
    }

    @Test func aMultiTeamValueGetbooleanRejectsIsNamed() throws {
        let error = try #require(Self.error(team: "team_a", env: ["AIRFLOW__CORE__MULTI_TEAM": "yes"]))
        #expect(error.problem.contains("'yes'"))
        #expect(error.problem.contains("AirflowConfigException"))
    }

    @Test func airflowTwoHasNoTeams() throws {
        let error = try #require(Self.error(team: "team_a", airflow: 2))
        #expect(error.problem.contains("Airflow 3.2"))
    }

    @Test func multiTeamWithoutATeamStillRefusesAmbiguousIds() throws {
        var deployment = Deployment(name: "d", environment: DeploymentEnvironment(["AIRFLOW__CORE__MULTI_TEAM": "True"]))
        #expect(deployment.teamLookup == TeamLookup(isMultiTeam: true, team: nil))
        deployment.airflowVersion = .v2
        #expect(deployment.teamLookup == .off, "Airflow 2 has no multi-team mode")
    }
}
