import Foundation
import Testing
import Engine
import RemoteSupport
import TestSupport
@testable import VaultBackend

/// Every supported auth_type logs in to a real OpenBao server; tokens are renewed or replaced
/// mid-session; unsupported methods say so; no credential reaches a message.
@Suite("Vault tier: authentication")
struct VaultAuthTests {
    let bao: OpenBao

    init() throws { bao = try OpenBao.main() }

    /// A KV v2 mount holding one variable, and a policy that may read and list it.
    func mountWithPolicy() async throws -> (mount: String, policy: String) {
        let mount = OpenBao.uniqueName("auth")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/greeting", ["value": "hello"])
        let policy = OpenBao.uniqueName("read")
        try await bao.policy(policy, #"path "\#(mount)/*" { capabilities = ["read", "list"] }"#)
        return (mount, policy)
    }

    func expectGreeting(_ source: VaultTierSource, _ mount: String) async throws {
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(mount)/variables/greeting")?.state == .present(.variable("hello")))
    }

    @Test func vaultTokenFromTheDeploymentsEnvironmentIsUsed() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let token = try await bao.token(policies: [policy])
        let (source, counter) = try VaultFixtures.source(kwargs: ["url": bao.address, "mount_point": mount],
                                                         env: ["VAULT_TOKEN": token])
        try await expectGreeting(source, mount)
        #expect(source.settings.auth.description == "token from VAULT_TOKEN")
        #expect(!counter.requests.contains { $0.url.path.contains("/login") })
    }

    @Test func aTokenFileIsReadAndStripped() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let token = try await bao.token(policies: [policy])
        let folder = try TemporaryDirectory("vault-token")
        defer { folder.remove() }
        let file = try folder.write("token", "  \(token)\n")
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "mount_point": mount, "token_path": file.path])
        try await expectGreeting(source, mount)
    }

    @Test func tokenAuthWithoutAnyTokenIsAClearSetupError() throws {
        let (configuration, deployment) = try VaultFixtures.deployment(kwargs: ["url": bao.address])
        #expect(throws: TierError.self) {
            _ = try VaultTierProvider().makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        }
        do {
            _ = try VaultTierProvider().makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        } catch let error as TierError {
            #expect(error.message.contains("token, token_path or VAULT_TOKEN"))
        } catch {}
    }

    @Test func appRoleLogsInAtItsMountPoint() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let authMount = OpenBao.uniqueName("approle")
        let (roleID, secretID) = try await bao.appRole(mount: authMount, role: "strata", settings: ["token_policies": policy])
        let (source, counter) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "approle", "auth_mount_point": authMount,
            "role_id": roleID, "secret_id": secretID])
        try await expectGreeting(source, mount)
        #expect(counter.requests.filter { $0.url.path == "/v1/auth/\(authMount)/login" }.count == 1)
        #expect(await source.client.tokenCounts().logins == 1)
    }

    @Test func aRefusedAppRoleLoginNamesTheMethodButNotTheSecretID() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let authMount = OpenBao.uniqueName("approle")
        let (roleID, _) = try await bao.appRole(mount: authMount, role: "strata", settings: ["token_policies": policy])
        let wrongSecret = "0b7a0f2e-wrong-secret-id-1234"
        let (source, _) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "approle", "auth_mount_point": authMount,
            "role_id": roleID, "secret_id": wrongSecret])
        let error = await thrownError { _ = try await source.load() }
        let message = (error as? TierError)?.message ?? ""
        #expect(message.contains("Vault refused the AppRole role \(roleID)"))
        #expect(!message.contains(wrongSecret))
    }

    @Test func userpassLogsInWithTheUsernameInThePath() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let authMount = OpenBao.uniqueName("userpass")
        try await bao.enableAuth(authMount, type: "userpass")
        try await bao.ok("POST", "auth/\(authMount)/users/airflow", ["password": "user-pass-123", "token_policies": policy])
        let (source, counter) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "userpass", "auth_mount_point": authMount,
            "username": "airflow", "password": "user-pass-123"])
        try await expectGreeting(source, mount)
        #expect(counter.requests.contains { $0.url.path == "/v1/auth/\(authMount)/login/airflow" })
    }

    /// OpenBao has no LDAP server here; the ldap method's login request has userpass's shape
    /// (`POST auth/<mount>/login/<user>` with the password), so a userpass method mounted at
    /// `ldap-…` checks that Strata sends it.
    @Test func ldapSendsThePasswordLoginToItsMount() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let authMount = OpenBao.uniqueName("ldap")
        try await bao.enableAuth(authMount, type: "userpass")
        try await bao.ok("POST", "auth/\(authMount)/users/ldapuser", ["password": "ldap-pass-123", "token_policies": policy])
        let (source, counter) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "ldap", "auth_mount_point": authMount,
            "username": "ldapuser", "password": "ldap-pass-123"])
        try await expectGreeting(source, mount)
        #expect(counter.requests.contains { $0.url.path == "/v1/auth/\(authMount)/login/ldapuser" })
    }

    @Test func jwtAndKubernetesLogInWithASignedTokenVerifiedByTheServer() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let keys = try TemporaryDirectory("vault-jwt")
        defer { keys.remove() }
        let signer = try JWTSigner(folder: keys.url)
        let jwt = try signer.token(claims: ["sub": "airflow-worker", "aud": "strata",
                                            "iat": Int(Date().timeIntervalSince1970), "exp": Int(Date().timeIntervalSince1970) + 600])
        // The kubernetes method's login is `{role, jwt}` at auth/<mount>/login, as jwt's is; a
        // jwt method verifies the service-account-style token here (no Kubernetes API offline).
        for (authType, prefix) in [("jwt", "jwt"), ("kubernetes", "k8s")] {
            let authMount = OpenBao.uniqueName(prefix)
            try await bao.enableAuth(authMount, type: "jwt")
            try await bao.ok("POST", "auth/\(authMount)/config", ["jwt_validation_pubkeys": [signer.publicKeyPEM]])
            try await bao.ok("POST", "auth/\(authMount)/role/airflow", [
                "role_type": "jwt", "user_claim": "sub", "bound_audiences": ["strata"], "token_policies": [policy]])
            let tokenFile = try keys.write("\(authType).jwt", jwt + "\n")
            var kwargs: [String: Any?] = ["url": bao.address, "mount_point": mount, "auth_type": authType,
                                          "auth_mount_point": authMount]
            if authType == "jwt" {
                kwargs["jwt_role"] = "airflow"
                kwargs["jwt_token_path"] = tokenFile.path
            } else {
                kwargs["kubernetes_role"] = "airflow"
                kwargs["kubernetes_jwt_path"] = tokenFile.path
            }
            let (source, counter) = try VaultFixtures.source(kwargs: kwargs)
            try await expectGreeting(source, mount)
            #expect(counter.requests.contains { $0.url.path == "/v1/auth/\(authMount)/login" })
        }
    }

    @Test func everyOtherAuthTypeAirflowAcceptsIsNamedAsNotSupportedYet() throws {
        for authType in ["aws_iam", "azure", "gcp", "github", "radius"] {
            let (configuration, deployment) = try VaultFixtures.deployment(kwargs: [
                "url": bao.address, "auth_type": authType, "role_id": "r", "token": "t", "gcp_scopes": "s",
                "azure_resource": "r", "azure_tenant_id": "t", "radius_host": "h", "radius_secret": "s"])
            do {
                _ = try VaultTierProvider().makeSource(configuration: configuration, deployment: deployment, tier: .backend,
                                                       dialect: .core)
                Issue.record("\(authType) should not be accepted")
            } catch let error as TierError {
                #expect(error.message.contains("auth_type '\(authType)' is not supported by Strata yet"))
            }
        }
    }

    @Test func aRenewableTokenIsRenewedWhenTwoThirdsOfItsTTLHavePassed() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let authMount = OpenBao.uniqueName("approle")
        let (roleID, secretID) = try await bao.appRole(mount: authMount, role: "short", settings: [
            "token_policies": policy, "token_ttl": "60s", "token_max_ttl": "1h"])
        let clock = ManualClock()
        let (source, counter) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "approle", "auth_mount_point": authMount,
            "role_id": roleID, "secret_id": secretID], clock: clock)
        try await expectGreeting(source, mount)
        clock.advance(45)
        try await expectGreeting(source, mount)
        let counts = await source.client.tokenCounts()
        #expect(counts.logins == 1)
        #expect(counts.renewals == 1)
        #expect(counter.requests.filter { $0.url.path == "/v1/auth/token/renew-self" }.count == 1)
    }

    @Test func anExpiredTokenIsReplacedByLoggingInAgain() async throws {
        let (mount, policy) = try await mountWithPolicy()
        let authMount = OpenBao.uniqueName("approle")
        // A token that lives 8 s and cannot be renewed past that, short enough to wait out.
        // On a loaded CI machine the first load may itself outlive one token, so the test
        // counts the logins the wait caused rather than the total.
        let (roleID, secretID) = try await bao.appRole(mount: authMount, role: "brief", settings: [
            "token_policies": policy, "token_ttl": "8s", "token_max_ttl": "8s"])
        // The session's clock stands still, so only Vault's refusal tells it the token is gone.
        let clock = ManualClock()
        clock.freeze()
        let (source, _) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "approle", "auth_mount_point": authMount,
            "role_id": roleID, "secret_id": secretID], clock: clock)
        try await expectGreeting(source, mount)
        let before = await source.client.tokenCounts()
        try await Task.sleep(for: .seconds(9))
        try await expectGreeting(source, mount)
        let after = await source.client.tokenCounts()
        #expect(before.logins >= 1)
        #expect(after.logins > before.logins, "the expired token was not replaced by a new login")
        #expect(after.renewals == 0, "a token past its max TTL cannot be renewed, only replaced")
    }

    @Test func aNamespaceIsSentOnEveryRequestAndScopesTheMounts() async throws {
        let namespace = OpenBao.uniqueName("ns")
        try await bao.ok("POST", "sys/namespaces/\(namespace)", [:])
        try await bao.enableKV("kv", version: 2, namespace: namespace)
        try await bao.put("kv", "variables/in_namespace", ["value": "scoped"], namespace: namespace)
        try await bao.enableAuth("userpass", type: "userpass", namespace: namespace)
        try await bao.ok("PUT", "sys/policies/acl/nsread", ["policy": #"path "kv/*" { capabilities = ["read", "list"] }"#],
                         namespace: namespace)
        try await bao.ok("POST", "auth/userpass/users/nsuser", ["password": "ns-pass-123", "token_policies": "nsread"],
                         namespace: namespace)
        let (source, _) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "namespace": namespace, "mount_point": "kv", "auth_type": "userpass",
            "username": "nsuser", "password": "ns-pass-123"])
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "kv/variables/in_namespace")?.state == .present(.variable("scoped")))
        #expect(source.descriptor.detail.contains("namespace \(namespace)"))
        // Without the namespace the same mount is not there.
        let (rootSource, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": "kv"])
        let error = await thrownError { _ = try await rootSource.load() }
        #expect((error as? TierError)?.message.contains("no secrets engine is mounted at kv/") == true)
    }

    @Test func hcpURLsWithoutANamespaceWarnThatHCPNeedsOne() throws {
        let (configuration, deployment) = try VaultFixtures.deployment(kwargs: [
            "url": "https://my-cluster.vault.11eb.aws.hashicorp.cloud:8200", "token": "hvs.x"])
        let settings = try VaultSettings(configuration: configuration, deployment: deployment)
        #expect(settings.warnings.contains { $0.contains("\"admin\"") })
        let (withNamespace, deployment2) = try VaultFixtures.deployment(kwargs: [
            "url": "https://my-cluster.vault.11eb.aws.hashicorp.cloud:8200", "token": "hvs.x", "namespace": "admin"])
        let scoped = try VaultSettings(configuration: withNamespace, deployment: deployment2)
        #expect(scoped.namespace == "admin")
        #expect(!scoped.warnings.contains { $0.contains("\"admin\"") })
    }
}

/// Signs RS256 JWTs with a key made by the openssl command-line tool.
struct JWTSigner {
    let privateKey: URL
    let publicKeyPEM: String

    init(folder: URL) throws {
        privateKey = folder.appendingPathComponent("key.pem")
        let publicKey = folder.appendingPathComponent("pub.pem")
        try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKey.path])
        try Self.openssl(["pkey", "-in", privateKey.path, "-pubout", "-out", publicKey.path])
        publicKeyPEM = try String(contentsOf: publicKey, encoding: .utf8)
    }

    func token(claims: [String: Any]) throws -> String {
        let header = Self.base64URL(Data(#"{"alg":"RS256","typ":"JWT"}"#.utf8))
        let payload = Self.base64URL(try JSONSerialization.data(withJSONObject: claims))
        let input = header + "." + payload
        let folder = privateKey.deletingLastPathComponent()
        let inputFile = folder.appendingPathComponent("input"), signatureFile = folder.appendingPathComponent("sig")
        try Data(input.utf8).write(to: inputFile)
        try Self.openssl(["dgst", "-sha256", "-sign", privateKey.path, "-out", signatureFile.path, inputFile.path])
        return input + "." + Self.base64URL(try Data(contentsOf: signatureFile))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenBao.APIError(description: "openssl \(arguments.first ?? "") failed (status \(process.terminationStatus))")
        }
    }
}

extension VaultAuthTests {
    @Test func aPolicysRefusalDoesNotCostALoginPerSecret() async throws {
        let mount = OpenBao.uniqueName("refuse")
        try await bao.enableKV(mount, version: 2)
        for name in ["a", "b", "c"] { try await bao.put(mount, "variables/\(name)", ["value": name]) }
        let policy = OpenBao.uniqueName("listonly")
        try await bao.policy(policy, #"path "\#(mount)/*" { capabilities = ["list"] }"#)
        let authMount = OpenBao.uniqueName("approle")
        let (roleID, secretID) = try await bao.appRole(mount: authMount, role: "lister", settings: ["token_policies": policy])
        let (source, _) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "mount_point": mount, "auth_type": "approle", "auth_mount_point": authMount,
            "role_id": roleID, "secret_id": secretID])
        let snapshot = try await source.load()
        #expect(snapshot.records.count == 3)
        #expect(snapshot.records.allSatisfy { if case .unreadable = $0.state { return true } else { return false } })
        #expect(await source.client.tokenCounts().logins == 1)
    }
}
