import Foundation
import Testing
import TestSupport

/// What the command line shows for a deployment with `team:` (Airflow 3.2+ multi-team).
@Suite("Command line: multi-team deployments")
struct MultiTeamCLITests {
    /// No backend unless `backend`: explain would try to reach AWS.
    static func workspace(team: String, multiTeam: String = "True", backend: Bool = false) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let backendClass = backend ? "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend" : "''"
        try dir.write("strata.yaml", """
        deployments:
          - name: analytics
            env:
              AIRFLOW__CORE__MULTI_TEAM: '\(multiTeam)'
              AIRFLOW__SECRETS__BACKEND: \(backendClass)
              AWS_DEFAULT_REGION: eu-west-1
              AIRFLOW_VAR__TEAM_A___REGION: eu-central-1
              AIRFLOW_VAR_REGION: us-east-1
              AIRFLOW_VAR_ONLY_GLOBAL: shared
            team: \(team)
        """)
        return dir
    }

    @Test func backendShowsTheTeamsNameThenTheGlobalOne() throws {
        let dir = try Self.workspace(team: "team_a", backend: true)
        defer { dir.remove() }
        let text = try StrataProcess.run(["backend", "--id", "my_db"], in: dir.url)
        #expect(text.stdout.contains("airflow/connections/team_a--my_db, then airflow/connections/my_db"), "\(text.stdout)")
        let json = try StrataProcess.run(["backend", "--id", "my_db", "--json"], in: dir.url)
        let object = try #require(try json.json() as? [String: Any])
        let lookups = try #require(object["lookups"] as? [[String: Any]])
        let variable = try #require(lookups.first { $0["kind"] as? String == "variable" })
        #expect(variable["name"] as? String == "airflow/variables/team_a--my_db")
        #expect(variable["then"] as? String == "airflow/variables/my_db")
    }

    @Test func explainTakesTheTeamsEnvironmentValueAndNamesTheTeam() throws {
        let dir = try Self.workspace(team: "team_a")
        defer { dir.remove() }
        let region = try StrataProcess.run(["explain", "region", "--var", "--reveal"], in: dir.url)
        #expect(region.stdout.contains("as AIRFLOW_VAR__TEAM_A___REGION"), "\(region.stdout)")
        #expect(region.stdout.contains("eu-central-1"))
        #expect(region.stdout.contains("team team_a"))
        let shared = try StrataProcess.run(["explain", "only_global", "--var"], in: dir.url)
        #expect(shared.stdout.contains("as AIRFLOW_VAR_ONLY_GLOBAL"), "\(shared.stdout)")
    }

    @Test func aTeamWithoutMultiTeamIsRefusedWithTheLine() throws {
        let dir = try Self.workspace(team: "team_a", multiTeam: "False")
        defer { dir.remove() }
        let result = try StrataProcess.run(["list"], in: dir.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains("strata.yaml:10"), "\(result.stderr)")
        #expect(result.stderr.contains("ValueError"))
    }
}
