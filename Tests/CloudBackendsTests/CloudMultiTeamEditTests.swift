import Editing
import Engine
import Foundation
import Testing
import TestSupport
@testable import CloudBackends

/// Edits of a team's deployment (multi-team) in Key Vault and Secret Manager, against the
/// doubles: an existing value is rewritten under the name that supplies it (a global value stays
/// global), a new key goes under the team's `<team>--<id>` name; another team then still reads
/// only the global names.
@Suite("Cloud tiers: multi-team edits")
struct CloudMultiTeamEditTests {
    let doubles: CloudDoubles
    let vault = CloudDoubles.uniqueName("teamedit")
    let project = CloudDoubles.uniqueName("teamedit")

    init() throws { doubles = try CloudDoubles.start() }

    static let keys = ["k_global", "k_team", "k_new"]

    /// Plans and applies one variable edit per key, as the CLI and the TUI do; returns the names the plan showed.
    static func edit(_ writer: any TierWriter, source: any TierSource, deployment: Deployment) async throws -> [String?] {
        let state = await DeploymentLoader(factory: FixedTierFactory([source])).loadAll(deployment, context: .server)
        let slots = [TierWriterSlot(writer: writer)]
        let plan = EditPlanner(state: state, writers: slots).plan(zip(keys, ["new global", "new team", "fresh"]).map { key, value in
            (change: TierChange.set(.variable(key), .variable(value, description: nil)), tier: source.descriptor.tier)
        })
        for outcome in await EditExecutor(writers: slots, log: OperationLog()).apply(plan) {
            #expect(outcome.error == nil, "\(outcome.planned.change.key): \(outcome.error?.message ?? "")")
            #expect(outcome.receipt?.name == outcome.planned.name, "the plan names the name written")
        }
        return plan.changes.map(\.name)
    }

    @Test func keyVaultEditsWriteWhereTheTeamReads() async throws {
        try await doubles.azureControl("seed", ["vault": vault, "secrets": [
            "airflow-variables-k-global": "old global",
            "airflow-variables-team-a--k-team": "old team", "airflow-variables-k-team": "global twin",
        ]])
        var deployment = CloudFixtures.azureDeployment(doubles, vault: vault, env: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let source = try #require(try CloudFixtures.source(deployment) as? KeyVaultTierSource)
        let names = try await Self.edit(KeyVaultTierWriter(source: source), source: source, deployment: deployment)
        #expect(names == ["airflow-variables-k-global", "airflow-variables-team-a--k-team", "airflow-variables-team-a--k-new"])
        #expect(await CloudMultiTeamTests.values(source, deployment, Self.keys) == ["new global", "new team", "fresh"])

        deployment.team = "team_b"
        let other = try CloudFixtures.source(deployment)
        #expect(await CloudMultiTeamTests.values(other, deployment, Self.keys) == ["new global", "global twin", nil])
    }

    @Test func secretManagerEditsWriteWhereTheTeamReads() async throws {
        try await doubles.gcpControl("seed", ["project": project, "secrets": [
            "airflow-variables-k_global": "old global",
            "airflow-variables-team_a--k_team": "old team", "airflow-variables-k_team": "global twin",
        ]])
        var deployment = try CloudFixtures.gcpDeployment(doubles, project: project, env: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let source = try #require(try CloudFixtures.source(deployment) as? SecretManagerTierSource)
        let names = try await Self.edit(SecretManagerTierWriter(source: source), source: source, deployment: deployment)
        #expect(names == ["airflow-variables-k_global", "airflow-variables-team_a--k_team", "airflow-variables-team_a--k_new"])
        #expect(await CloudMultiTeamTests.values(source, deployment, Self.keys) == ["new global", "new team", "fresh"])

        deployment.team = "team_b"
        let other = try CloudFixtures.source(deployment)
        #expect(await CloudMultiTeamTests.values(other, deployment, Self.keys) == ["new global", "global twin", nil])
    }
}
