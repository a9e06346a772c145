import Foundation
import Testing
import Engine
import RemoteSupport
import TestSupport
@testable import VaultBackend

/// Faults read clearly, never carry a credential, and never stop the other tiers.
@Suite("Vault tier: faults")
struct VaultFaultTests {
    let bao: OpenBao

    init() throws { bao = try OpenBao.main() }

    func loadError(_ source: VaultTierSource) async -> String {
        let error = await thrownError { _ = try await source.load() }
        guard let tierError = error as? TierError else {
            Issue.record("load should fail with a TierError, got \(String(describing: error))")
            return ""
        }
        return tierError.message
    }

    @Test(.serialized) func aSealedServerSaysItIsSealedAndTheOtherTiersStillResolve() async throws {
        let (sealable, unsealKey) = try OpenBao.sealable()
        try await sealable.put("secret", "variables/behind_seal", ["value": "x"])
        try await sealable.ok("PUT", "sys/seal")
        do {
            let (source, _) = try VaultFixtures.source(kwargs: ["url": sealable.address, "token": sealable.rootToken])
            let message = await loadError(source)
            #expect(message.contains("is sealed"))
            #expect(message.contains("operator unseal"))
            #expect(!message.contains(sealable.rootToken))

            // The environment tier of the same deployment still answers.
            let (configuration, deployment) = try VaultFixtures.deployment(
                kwargs: ["url": sealable.address, "token": sealable.rootToken], env: ["AIRFLOW_VAR_FROM_ENV": "env value"])
            let factory = VaultAndEnvironment(configuration: configuration)
            let state = await DeploymentLoader(factory: factory).loadAll(deployment, context: .server)
            guard case .failed(let reason)? = state.tiers[.backend] else {
                Issue.record("the sealed backend should have failed")
                return
            }
            #expect(reason.contains("sealed"))
            #expect(state.resolve(.variable("from_env")).value == .variable("env value"))
        }
        try await sealable.ok("PUT", "sys/unseal", ["key": unsealKey])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": sealable.address, "token": sealable.rootToken])
        #expect(try await source.load().record(.variable, "secret/variables/behind_seal") != nil)
    }

    @Test func anHTTPSURLAtOpenBaosPlainHTTPPortIsNamedAsSuchAtOnce() async throws {
        let port = URL(string: bao.address)?.port ?? 0
        let (source, _) = try VaultFixtures.source(kwargs: ["url": "https://127.0.0.1:\(port)", "token": bao.rootToken])
        let message = await loadError(source)
        // Named from the server's first bytes or its hang-up, not after a handshake timeout.
        #expect(message.contains("plain HTTP, not TLS"))
        #expect(message.contains("use http://"))
        #expect(!message.contains("did not answer in time"))
        #expect(!message.contains(bao.rootToken))
    }

    @Test func aForbiddenSecretIsUnreadableAndNamesThePathAndCapability() async throws {
        let mount = OpenBao.uniqueName("deny")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/open", ["value": "o"])
        try await bao.put(mount, "variables/closed", ["value": "c"])
        let policy = OpenBao.uniqueName("partial")
        try await bao.policy(policy, """
            path "\(mount)/metadata/*" { capabilities = ["list"] }
            path "\(mount)/detailed-metadata/*" { capabilities = ["list"] }
            path "\(mount)/data/variables/open" { capabilities = ["read"] }
            """)
        let token = try await bao.token(policies: [policy])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": token, "mount_point": mount])
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(mount)/variables/open")?.state == .present(.variable("o")))
        guard case .unreadable(let reason)? = snapshot.record(.variable, "\(mount)/variables/closed")?.state else {
            Issue.record("the forbidden secret should be unreadable")
            return
        }
        #expect(reason.contains("permission denied"))
        #expect(reason.contains("\"read\" on path \"\(mount)/data/variables/closed\""))
        #expect(!snapshot.visibleText.contains(token))
    }

    @Test func aTokenThatMayNotListAnythingFailsTheTierNamingTheListCapability() async throws {
        let mount = OpenBao.uniqueName("nolist")
        try await bao.enableKV(mount, version: 2)
        let policy = OpenBao.uniqueName("readonly")
        try await bao.policy(policy, #"path "\#(mount)/data/*" { capabilities = ["read"] }"#)
        let token = try await bao.token(policies: [policy])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": token, "mount_point": mount])
        let message = await loadError(source)
        #expect(message.contains("may not list \(mount)/metadata/"))
        #expect(!message.contains(token))
    }

    @Test func aRevokedTokenIsReportedAsSuchWithoutQuotingIt() async throws {
        let mount = OpenBao.uniqueName("revoked")
        try await bao.enableKV(mount, version: 2)
        let token = try await bao.token(policies: ["default"])
        try await bao.ok("POST", "auth/token/revoke", ["token": token])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": token, "mount_point": mount])
        let message = await loadError(source)
        #expect(message.contains("wrong, expired or revoked"))
        #expect(!message.contains(token))
    }

    @Test func theWrongKVVersionIsDetectedFromTheServerInBothDirections() async throws {
        let v2 = OpenBao.uniqueName("isv2")
        try await bao.enableKV(v2, version: 2)
        let (asV1, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": v2,
                                                          "kv_engine_version": 1])
        #expect(await loadError(asV1).contains("\(v2)/ is a KV version 2 mount but kv_engine_version is 1"))

        let v1 = OpenBao.uniqueName("isv1")
        try await bao.enableKV(v1, version: 1)
        let (asV2, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": v1])
        #expect(await loadError(asV2).contains("Set \"kv_engine_version\": 1"))
    }

    @Test func aMissingMountOrOneThatIsNotKVIsNamed() async throws {
        let (missing, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken,
                                                             "mount_point": OpenBao.uniqueName("nomount")])
        #expect(await loadError(missing).contains("no secrets engine is mounted at nomount-"))
        let (cubbyhole, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken,
                                                               "mount_point": "cubbyhole"])
        #expect(await loadError(cubbyhole).contains("cubbyhole/ is a cubbyhole engine, not a KV store"))
    }

    @Test func anUnreachableServerIsNamedWithoutTheToken() async throws {
        // A port nothing listens on: bind one, then close it.
        let port = try freePort()
        let (source, _) = try VaultFixtures.source(kwargs: ["url": "http://127.0.0.1:\(port)", "token": "s.unreachable-token"])
        let message = await loadError(source)
        #expect(message.contains("cannot reach Vault at 127.0.0.1:\(port)"))
        #expect(!message.contains("s.unreachable-token"))
    }

    @Test func tlsFromAnUntrustedCAFailsClearlyAndTrustingItsBundleWorks() async throws {
        let (server, caFile) = try OpenBao.tls()
        try await server.call("POST", "secret/data/variables/over_tls", ["data": ["value": "secure"]], caFile: caFile)
        let (untrusted, _) = try VaultFixtures.source(kwargs: ["url": server.address, "token": server.rootToken])
        let message = await loadError(untrusted)
        #expect(message.contains("TLS with Vault at"))
        #expect(message.contains("verify"))

        let (trusted, _) = try VaultFixtures.source(kwargs: ["url": server.address, "token": server.rootToken, "verify": caFile])
        #expect(try await trusted.load().record(.variable, "secret/variables/over_tls")?.state == .present(.variable("secure")))

        let (viaEnvironment, _) = try VaultFixtures.source(kwargs: ["url": server.address, "token": server.rootToken],
                                                           env: ["VAULT_CACERT": caFile])
        #expect(try await viaEnvironment.load().record(.variable, "secret/variables/over_tls") != nil)
    }

    @Test func verifyFalseIsRefusedBecauseStrataNeverSkipsCertificateChecks() throws {
        let (configuration, deployment) = try VaultFixtures.deployment(kwargs: [
            "url": "https://vault.example:8200", "token": "t", "verify": false])
        do {
            _ = try VaultTierProvider().makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
            Issue.record("verify=false over https must be refused")
        } catch let error as TierError {
            #expect(error.message.contains("Strata never does"))
        }
    }

    func freePort() throws -> Int {
        try FreePort.pick()
    }
}

/// A deployment's environment tier and its Vault backend tier, as the app composes them.
struct VaultAndEnvironment: TierFactory {
    let configuration: BackendConfiguration

    func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
        var slots = [TierSlot(source: EnvironmentTier(environment: deployment.environment, dialect: .core))]
        do {
            slots.append(TierSlot(source: try VaultTierProvider(retry: .none).makeSource(
                configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)))
        } catch {
            slots.append(TierSlot(unavailable: TierDescriptor(tier: .backend, label: "Vault"), reason: "\(error)"))
        }
        return slots
    }
}

extension VaultFaultTests {
    @Test func whenTheOnlyEnabledKindCannotBeListedTheTierFails() async throws {
        let mount = OpenBao.uniqueName("onlyvars")
        try await bao.enableKV(mount, version: 2)
        let policy = OpenBao.uniqueName("noneoflist")
        try await bao.policy(policy, #"path "\#(mount)/data/*" { capabilities = ["read"] }"#)
        let token = try await bao.token(policies: [policy])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": token, "mount_point": mount,
                                                            "connections_path": nil])
        let message = await loadError(source)
        #expect(message.contains("may not list \(mount)/metadata/variables/"))
    }
}
