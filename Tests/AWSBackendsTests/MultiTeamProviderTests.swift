import Foundation
import Testing
import Engine
import TestSupport
@testable import AWSBackends

/// Multi-team names against moto, read both by Strata's tiers and by the amazon provider 9.39's
/// own backends (from the Airflow 3.3.2 venv) for the same team: the answers must agree, and
/// show the team's name first, the global fallback and the refusal of ids with '--'.
@Suite("AWS multi-team names agree with the amazon provider (moto)", .serialized)
struct MultiTeamProviderTests {
    let moto: Moto
    let run = Moto.unique("mt")

    init() throws { moto = try Moto.connect() }

    static let lookups: [(kind: String, key: String)] = [
        ("variable", "k1"), ("variable", "k2"), ("variable", "k3"), ("variable", "a--b"), ("connection", "c1"),
    ]

    /// Strata's winning value for each lookup, through the resolver, as text.
    static func strata(_ source: any TierSource, deployment: Deployment) async -> [String?] {
        let state = await DeploymentLoader(factory: FixedTierFactory([source])).loadAll(deployment, context: .server)
        return lookups.map { lookup in
            switch state.resolve(lookup.kind == "variable" ? .variable(lookup.key) : .connection(lookup.key)).value {
            case .variable(let text)?: return text
            case .connection(let connection)?: return connection.host
            case nil: return nil
            }
        }
    }

    func providerEnvironment() -> [String: String] {
        ["AWS_ACCESS_KEY_ID": moto.admin.accessKeyID, "AWS_SECRET_ACCESS_KEY": moto.admin.secretAccessKey,
         "AWS_DEFAULT_REGION": Moto.region]
    }

    @Test func secretsManagerTeamNamesComeFirst() async throws {
        try await moto.createSecrets([
            ("\(run)/variables/team_a--k1", "team k1"), ("\(run)/variables/k1", "global k1"),
            ("\(run)/variables/k2", "global k2"), ("\(run)/variables/team-b--k3", "team-b k3"),
            ("\(run)/variables/a--b", "ambiguous"),
            ("\(run)/connections/team_a--c1", "http://team-c1"), ("\(run)/connections/c1", "http://global-c1"),
        ])
        let kwargs: [String: Any] = ["connections_prefix": "\(run)/connections", "variables_prefix": "\(run)/variables"]
        var deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs,
                                             extraEnvironment: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let mine = await Self.strata(try AWSFixtures.secretsManager(deployment), deployment: deployment)
        var providerKwargs = kwargs
        providerKwargs["endpoint_url"] = moto.url.absoluteString
        let theirs = try await ProviderLookups.run(backendClass: Moto.secretsManagerClass, kwargs: providerKwargs,
                                             environment: providerEnvironment(), team: "team_a", lookups: Self.lookups)
        #expect(theirs == ["team k1", "global k2", nil, nil, "http://team-c1"], "the provider's answers cover each rule")
        #expect(mine[0...3] == theirs[0...3])
        #expect(mine[4] == "team-c1", "the connection Strata resolves is the team's")
    }

    @Test func parameterStoreTeamNamesComeFirst() async throws {
        try await moto.putParameter("/\(run)/variables/team_a--k1", "team k1")
        try await moto.putParameter("/\(run)/variables/k1", "global k1")
        try await moto.putParameter("/\(run)/variables/k2", "global k2")
        try await moto.putParameter("/\(run)/variables/team-b--k3", "team-b k3")
        try await moto.putParameter("/\(run)/variables/a--b", "ambiguous")
        let kwargs: [String: Any] = ["connections_prefix": "/\(run)/connections", "variables_prefix": "/\(run)/variables"]
        var deployment = try moto.deployment(Moto.ssmClass, kwargs: kwargs, extraEnvironment: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let mine = await Self.strata(try AWSFixtures.parameterStore(deployment), deployment: deployment)
        var providerKwargs = kwargs
        providerKwargs["endpoint_url"] = moto.url.absoluteString
        let theirs = try await ProviderLookups.run(backendClass: Moto.ssmClass, kwargs: providerKwargs,
                                             environment: providerEnvironment(), team: "team_a", lookups: Self.lookups)
        #expect(theirs[0...3] == ["team k1", "global k2", nil, nil])
        #expect(mine == theirs)
    }
}
