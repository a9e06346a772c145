import Editing
import Engine
import Foundation
import Testing
import TestSupport
@testable import AWSBackends

/// Edits of a team's deployment (Airflow 3.2+ multi-team) against moto, read back by the amazon
/// provider's own backends for that team and another: an existing value is rewritten under the
/// name that supplies it (the global one stays global), a new key goes under `<team>--<id>`.
@Suite("AWS multi-team edits land where the amazon provider reads them (moto)", .serialized)
struct MultiTeamEditTests {
    let moto: Moto
    let run = Moto.unique("mte")

    init() throws { moto = try Moto.connect() }

    static let keys = ["k_global", "k_team", "k_new"]

    func providerEnvironment() -> [String: String] {
        ["AWS_ACCESS_KEY_ID": moto.admin.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.admin.secretAccessKey,
         "AWS_DEFAULT_REGION": Moto.region]
    }

    /// Plans and applies one variable edit per key through the planner, as the CLI and the TUI
    /// do; returns the names the plan showed.
    static func edit(_ writer: any TierWriter, source: any TierSource, deployment: Deployment,
                     values: [String]) async throws -> [String?] {
        let state = await DeploymentLoader(factory: FixedTierFactory([source])).loadAll(deployment, context: .server)
        let planner = EditPlanner(state: state, writers: [TierWriterSlot(writer: writer)])
        let plan = planner.plan(zip(keys, values).map { key, value in
            (change: TierChange.set(.variable(key), .variable(value, description: nil)), tier: source.descriptor.tier)
        })
        let outcomes = await EditExecutor(writers: [TierWriterSlot(writer: writer)], log: OperationLog()).apply(plan)
        for outcome in outcomes {
            #expect(outcome.error == nil, "\(outcome.planned.change.key): \(outcome.error?.message ?? "")")
            #expect(outcome.receipt?.name == outcome.planned.name, "the plan names the name written")
        }
        return plan.changes.map(\.name)
    }

    @Test func secretsManagerEditsWriteWhereTheTeamReads() async throws {
        try await moto.createSecrets([
            ("\(run)/variables/k_global", "old global"),
            ("\(run)/variables/team_a--k_team", "old team"), ("\(run)/variables/k_team", "global twin"),
        ])
        let kwargs: [String: Any] = ["connections_prefix": "\(run)/connections", "variables_prefix": "\(run)/variables"]
        var deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs,
                                             extraEnvironment: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let source = try AWSFixtures.secretsManager(deployment)
        let names = try await Self.edit(SecretsManagerTierWriter(source: source), source: source, deployment: deployment,
                                        values: ["new global", "new team", "fresh"])
        #expect(names == ["\(run)/variables/k_global", "\(run)/variables/team_a--k_team", "\(run)/variables/team_a--k_new"])

        var providerKwargs = kwargs
        providerKwargs["endpoint_url"] = moto.url.absoluteString
        let lookups = Self.keys.map { (kind: "variable", key: $0) }
        let teamA = try await ProviderLookups.run(backendClass: Moto.secretsManagerClass, kwargs: providerKwargs,
                                                  environment: providerEnvironment(), team: "team_a", lookups: lookups)
        #expect(teamA == ["new global", "new team", "fresh"])
        let teamB = try await ProviderLookups.run(backendClass: Moto.secretsManagerClass, kwargs: providerKwargs,
                                                  environment: providerEnvironment(), team: "team_b", lookups: lookups)
        #expect(teamB == ["new global", "global twin", nil], "another team still reads the global names only")
    }

    @Test func parameterStoreEditsWriteWhereTheTeamReads() async throws {
        try await moto.putParameter("/\(run)/variables/k_global", "old global")
        try await moto.putParameter("/\(run)/variables/team_a--k_team", "old team")
        try await moto.putParameter("/\(run)/variables/k_team", "global twin")
        let kwargs: [String: Any] = ["connections_prefix": "/\(run)/connections", "variables_prefix": "/\(run)/variables"]
        var deployment = try moto.deployment(Moto.ssmClass, kwargs: kwargs, extraEnvironment: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let source = try AWSFixtures.parameterStore(deployment)
        let names = try await Self.edit(ParameterStoreTierWriter(source: source), source: source, deployment: deployment,
                                        values: ["new global", "new team", "fresh"])
        #expect(names == ["/\(run)/variables/k_global", "/\(run)/variables/team_a--k_team", "/\(run)/variables/team_a--k_new"])

        var providerKwargs = kwargs
        providerKwargs["endpoint_url"] = moto.url.absoluteString
        let lookups = Self.keys.map { (kind: "variable", key: $0) }
        let teamA = try await ProviderLookups.run(backendClass: Moto.ssmClass, kwargs: providerKwargs,
                                                  environment: providerEnvironment(), team: "team_a", lookups: lookups)
        #expect(teamA == ["new global", "new team", "fresh"])
        let teamB = try await ProviderLookups.run(backendClass: Moto.ssmClass, kwargs: providerKwargs,
                                                  environment: providerEnvironment(), team: "team_b", lookups: lookups)
        #expect(teamB == ["new global", "global twin", nil])
    }
}
