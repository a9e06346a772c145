import Foundation
import Testing
import Engine
import TestSupport
@testable import CloudBackends

/// Key Vault and Secret Manager tiers of a deployment with `team:` (multi-team), against the
/// doubles: the team's name is read first, the global one after, and ids that could spell a
/// team's name are refused. The Key Vault names were checked against microsoft-azure 15.2.1;
/// the Secret Manager ones follow the spec (§5.5: the google provider is not installed here).
@Suite("Cloud tiers: multi-team names")
struct CloudMultiTeamTests {
    let doubles: CloudDoubles
    let vault = CloudDoubles.uniqueName("teams")
    let project = CloudDoubles.uniqueName("teams")

    init() throws { doubles = try CloudDoubles.start() }

    static func values(_ source: any TierSource, _ deployment: Deployment, _ ids: [String]) async -> [String?] {
        let state = await DeploymentLoader(factory: FixedTierFactory([source])).loadAll(deployment, context: .server)
        return ids.map { id in
            if case .variable(let text)? = state.resolve(.variable(id)).value { return text }
            return nil
        }
    }

    @Test func keyVaultReadsTheTeamsSecretFirst() async throws {
        try await doubles.azureControl("seed", ["vault": vault, "secrets": [
            "airflow-variables-team-a--my-var": "team value", "airflow-variables-my-var": "global value",
            "airflow-variables-other": "global other", "airflow-variables-team-b--other": "team-b value",
        ]])
        var deployment = CloudFixtures.azureDeployment(doubles, vault: vault, env: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let source = try CloudFixtures.source(deployment)
        #expect(source.lookupName(for: .variable("my_var")) == .name("airflow-variables-team-a--my-var"))
        #expect(source.globalLookupName(for: .variable("my_var")) == .name("airflow-variables-my-var"))
        #expect(await Self.values(source, deployment, ["my_var", "other"]) == ["team value", "global other"])
        guard case .skipped(let reason) = source.lookupName(for: .variable("a__b")) else {
            Issue.record("a__b becomes a--b and must be refused"); return
        }
        #expect(reason.contains("'--'"))
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "airflow-variables-team-a--my-var")?.suggestedID == "my-var")
    }

    @Test func secretManagerReadsTheTeamsSecretFirst() async throws {
        try await doubles.gcpControl("seed", ["project": project, "secrets": [
            "airflow-variables-team_a--my_var": "team value", "airflow-variables-my_var": "global value",
            "airflow-variables-other": "global other",
        ]])
        var deployment = try CloudFixtures.gcpDeployment(doubles, project: project, env: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let source = try CloudFixtures.source(deployment)
        #expect(source.lookupName(for: .variable("my_var")) == .name("airflow-variables-team_a--my_var"))
        #expect(await Self.values(source, deployment, ["my_var", "other"]) == ["team value", "global other"])
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "airflow-variables-team_a--my_var")?.suggestedID == "my_var")
    }
}
