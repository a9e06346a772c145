import Foundation
import Testing
import Engine
import Editing
import TestSupport
@testable import VaultBackend

/// Multi-team paths against a real OpenBao server, read both by Strata's tier and by the
/// hashicorp provider 4.8.4's own VaultBackend (from the Airflow 3.3.2 venv) for the same
/// team: `<base>/<team>/<key>` only (no global fallback), and nested keys refused without a team.
@Suite("Vault multi-team paths agree with the hashicorp provider (OpenBao)", .serialized)
struct VaultMultiTeamTests {
    let bao: OpenBao

    init() throws { bao = try OpenBao.main() }

    static let lookups: [(kind: String, key: String)] = [("variable", "k1"), ("variable", "k2"), ("variable", "team_a/k1")]

    func answers(mount: String, team: String?) async throws -> (strata: [String?], provider: [String?]) {
        let kwargs: [String: Any] = ["mount_point": mount, "url": bao.address, "token": bao.rootToken]
        let (configuration, base) = try VaultFixtures.deployment(kwargs: kwargs, env: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        var deployment = base
        deployment.team = team
        let source = try VaultTierProvider(retry: .none).makeVaultSource(configuration: configuration, deployment: deployment)
        let state = await DeploymentLoader(factory: FixedTierFactory([source])).loadAll(deployment, context: .server)
        let strata = Self.lookups.map { lookup -> String? in
            if case .variable(let text)? = state.resolve(.variable(lookup.key)).value { return text }
            return nil
        }
        let provider = try await ProviderLookups.run(backendClass: VaultFixtures.backendClass, kwargs: kwargs, team: team,
                                               lookups: Self.lookups)
        return (strata, provider)
    }

    @Test func aTeamReadsItsOwnPathOnlyAndNoTeamCannotReachIt() async throws {
        let mount = OpenBao.uniqueName("kvteams")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/team_a/k1", ["value": "team k1"])
        try await bao.put(mount, "variables/k1", ["value": "global k1"])
        try await bao.put(mount, "variables/k2", ["value": "global k2"])

        let teamA = try await answers(mount: mount, team: "team_a")
        #expect(teamA.provider == ["team k1", nil, nil], "no global fallback for a team")
        #expect(teamA.strata == teamA.provider)

        let none = try await answers(mount: mount, team: nil)
        #expect(none.provider == ["global k1", "global k2", nil], "team_a/k1 is refused without a team")
        #expect(none.strata == none.provider)
    }

    @Test func editsOfATeamWriteItsOwnPathWhichTheProviderReads() async throws {
        let mount = OpenBao.uniqueName("kvteamedit")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/team_a/k1", ["value": "team k1"])
        try await bao.put(mount, "variables/k2", ["value": "global k2"])
        let kwargs: [String: Any] = ["mount_point": mount, "url": bao.address, "token": bao.rootToken]
        let (configuration, base) = try VaultFixtures.deployment(kwargs: kwargs, env: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        var deployment = base
        deployment.team = "team_a"
        let source = try VaultTierProvider(retry: .none).makeVaultSource(configuration: configuration, deployment: deployment)
        let state = await DeploymentLoader(factory: FixedTierFactory([source])).loadAll(deployment, context: .server)
        let slots = [TierWriterSlot(writer: VaultTierWriter(source: source))]
        let plan = EditPlanner(state: state, writers: slots).plan([
            (change: .set(.variable("k1"), .variable("team k1, edited", description: nil)), tier: source.descriptor.tier),
            (change: .set(.variable("k2"), .variable("team k2", description: nil)), tier: source.descriptor.tier),
        ])
        // A team reads <base>/<team>/<key> only: the global k2 is not what it reads, so its edit is the team's.
        #expect(plan.changes.map(\.name) == ["\(mount)/variables/team_a/k1", "\(mount)/variables/team_a/k2"])
        for outcome in await EditExecutor(writers: slots, log: OperationLog()).apply(plan) {
            #expect(outcome.error == nil, "\(outcome.planned.change.key): \(outcome.error?.message ?? "")")
        }
        let teamA = try await ProviderLookups.run(backendClass: VaultFixtures.backendClass, kwargs: kwargs, team: "team_a",
                                                  lookups: [("variable", "k1"), ("variable", "k2")])
        #expect(teamA == ["team k1, edited", "team k2"])
        let none = try await ProviderLookups.run(backendClass: VaultFixtures.backendClass, kwargs: kwargs, team: nil,
                                                 lookups: [("variable", "k1"), ("variable", "k2")])
        #expect(none == [nil, "global k2"], "the global k2 is left as it was")
    }
}
