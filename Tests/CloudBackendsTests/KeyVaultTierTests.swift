import Foundation
import Testing
import Engine
import RemoteSupport
@testable import CloudBackends

/// The Key Vault tier against the Azure double (HTTPS with a private CA): the Astro guide's
/// configuration loads with the exact secret names; credentials, TLS and faults read clearly.
@Suite("Azure Key Vault tier")
struct KeyVaultTierTests {
    let doubles: CloudDoubles
    let vault = CloudDoubles.uniqueName("vault")

    init() throws { doubles = try CloudDoubles.start() }

    func seed(_ secrets: [String: String]) async throws {
        try await doubles.azureControl("seed", ["vault": vault, "secrets": secrets])
    }

    func load(_ deployment: Deployment, provider: CloudTierProvider = CloudFixtures.provider()) async throws -> TierSnapshot {
        try await CloudFixtures.source(deployment, provider: provider).load()
    }

    @Test func theGuidesClientSecretSetupLoadsUnderTheExactNames() async throws {
        try await seed(["airflow-variables-my-var": "hello", "airflow-connections-smtp-default": "smtp://mail.example:25",
                        "airflow-variables-blank": "", "not-airflow": "x"])
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault)
        let source = try CloudFixtures.source(deployment)
        let snapshot = try await source.load()
        #expect(snapshot.records.count == 3)
        let variable = try #require(snapshot.record(.variable, "airflow-variables-my-var"))
        #expect(variable.state == .present(.variable("hello")))
        #expect(variable.suggestedID == "my-var")
        #expect(variable.metadata["version"]?.count == 32)
        #expect(variable.metadata["updated"] != nil)
        #expect(snapshot.record(.variable, "airflow-variables-blank")?.state == .empty)
        let connection = try #require(snapshot.record(.connection, "airflow-connections-smtp-default"))
        #expect(connection.rawText == "smtp://mail.example:25")
        if case .present(.connection(let parsed)) = connection.state {
            #expect(parsed.host == "mail.example")
        } else {
            Issue.record("the connection did not parse: \(connection.state)")
        }
        // Airflow turns every _ into the separator, so my_var and smtp_default read these names.
        #expect(source.lookupName(for: .variable("my_var")) == .name("airflow-variables-my-var"))
        #expect(source.lookupName(for: .connection("smtp_default")) == .name("airflow-connections-smtp-default"))
    }

    @Test func namesOutsideKeyVaultsRuleAreSkippedAsAirflowSkipsThem() throws {
        let source = try CloudFixtures.source(CloudFixtures.azureDeployment(doubles, vault: vault))
        guard case .skipped(let reason) = source.lookupName(for: .variable("my.var")) else {
            Issue.record("a dotted id gives an invalid Key Vault name"); return
        }
        #expect(reason.contains("not a valid Key Vault secret name"))
        let long = String(repeating: "a", count: 120)
        #expect(source.lookupName(for: .variable(long)).name == nil)
    }

    @Test func emptyPrefixesAndSeparatorsFollowTheGuide() async throws {
        try await seed(["my-var": "bare"])
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: ["sep": "", "variables_prefix": "",
                                                                                      "connections_prefix": NSNull()])
        let source = try CloudFixtures.source(deployment)
        #expect(source.lookupName(for: .variable("my_var")) == .name("myvar"))
        let snapshot = try await source.load()
        #expect(snapshot.records.map(\.name) == ["my-var"])
        #expect(snapshot.records.first?.kind == .variable)
    }

    @Test func everyNextLinkPageIsFollowed() async throws {
        var secrets: [String: String] = [:]
        for index in 0..<60 { secrets["airflow-variables-v\(index)"] = "\(index)" }
        try await seed(secrets)
        let snapshot = try await load(CloudFixtures.azureDeployment(doubles, vault: vault))
        #expect(snapshot.records.count == 60)
        let stats = try await doubles.azureControl("stats", ["vault": vault])
        // 3 pages of 25, plus the first (unauthenticated) request that drew the challenge.
        #expect(stats["list"] as? Int == 4)
        #expect(stats["get"] as? Int == 60)
    }

    @Test func disabledAndDeniedSecretsAreUnreadableWithTheReason() async throws {
        try await seed(["airflow-variables-off": "x", "airflow-variables-on": "y"])
        try await doubles.azureControl("enabled", ["vault": vault, "secret": "airflow-variables-off", "enabled": false])
        let snapshot = try await load(CloudFixtures.azureDeployment(doubles, vault: vault))
        guard case .unreadable(let reason)? = snapshot.record(.variable, "airflow-variables-off")?.state else {
            Issue.record("a disabled secret must be unreadable"); return
        }
        #expect(reason.contains("disabled"))
        #expect(snapshot.record(.variable, "airflow-variables-on")?.state == .present(.variable("y")))
        let stats = try await doubles.azureControl("stats", ["vault": vault])
        #expect(stats["get"] as? Int == 1)

        try await doubles.azureControl("deny", ["vault": vault, "permission": "get"])
        let denied = try await load(CloudFixtures.azureDeployment(doubles, vault: vault))
        guard case .unreadable(let deniedReason)? = denied.record(.variable, "airflow-variables-on")?.state else {
            Issue.record("a denied read must be unreadable"); return
        }
        #expect(deniedReason.contains("access denied"))
        #expect(deniedReason.contains("Key Vault Secrets User"))
    }

    @Test func aListDenialFailsTheTier() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.azureControl("deny", ["vault": vault, "permission": "list"])
        let message = await CloudFixtures.message { _ = try await load(CloudFixtures.azureDeployment(doubles, vault: vault)) }
        #expect(message?.contains("does not have secrets list permission") == true)
    }

    @Test func throttlingIsRetriedAfterRetryAfter() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.azureControl("fault", ["vault": vault, "kind": "throttle", "count": 2, "retry_after": 1,
                                                 "path_contains": "airflow-variables-a"])
        let started = Date()
        let snapshot = try await load(CloudFixtures.azureDeployment(doubles, vault: vault))
        #expect(snapshot.record(.variable, "airflow-variables-a")?.state == .present(.variable("1")))
        #expect(Date().timeIntervalSince(started) >= 2)
        let stats = try await doubles.azureControl("stats", ["vault": vault])
        #expect(stats["get"] as? Int == 3)
    }

    @Test func aRevokedTokenIsReplacedThroughTheChallenge() async throws {
        try await seed(["airflow-variables-a": "1"])
        let log = RequestLedger()
        let source = try CloudFixtures.source(CloudFixtures.azureDeployment(doubles, vault: vault),
                                              provider: CloudFixtures.provider(log: log))
        _ = try await source.load()
        try await doubles.azureControl("fault", ["vault": vault, "kind": "revoke"])
        #expect(try await source.load().records.count == 1)
        #expect(log.count { $0.url.path.hasSuffix("/oauth2/v2.0/token") } == 2)
    }

    @Test func aWrongClientSecretNamesTheFixAndHidesTheSecret() async throws {
        let wrong = "wrong-secret-value-123"
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, env: ["AZURE_CLIENT_SECRET": wrong])
        let message = try #require(await CloudFixtures.message { _ = try await load(deployment) })
        #expect(message.contains("AADSTS7000215"))
        #expect(message.contains("secret's Value"))
        #expect(!message.contains(wrong))
    }

    @Test func kwargsCredentialsWinOverTheEnvironment() async throws {
        try await seed(["airflow-variables-a": "1"])
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: [
            "tenant_id": doubles.azureValue("tenant_id"), "client_id": doubles.azureValue("client_id"),
            "client_secret": doubles.azureValue("client_secret"),
        ], env: ["AZURE_CLIENT_SECRET": "stale", "AZURE_CLIENT_ID": nil])
        let source = try CloudFixtures.source(deployment)
        #expect(source.descriptor.detail.contains("backend kwargs"))
        #expect(try await source.load().records.count == 1)
    }

    @Test func workloadIdentityExchangesTheFederatedToken() async throws {
        try await seed(["airflow-variables-a": "1"])
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, env: [
            "AZURE_CLIENT_SECRET": nil, "AZURE_CLIENT_ID": doubles.azureValue("federated_client_id"),
            "AZURE_FEDERATED_TOKEN_FILE": doubles.azureValue("federated_token_file"),
        ])
        #expect(try await load(deployment).records.count == 1)

        let expired = CloudFixtures.azureDeployment(doubles, vault: vault, env: [
            "AZURE_CLIENT_SECRET": nil, "AZURE_CLIENT_ID": doubles.azureValue("federated_client_id"),
            "AZURE_FEDERATED_TOKEN_FILE": doubles.azureValue("expired_federated_token_file"),
        ])
        let message = try #require(await CloudFixtures.message { _ = try await load(expired) })
        #expect(message.contains("AADSTS700024"))
        #expect(message.contains("federated"))
    }

    @Test func managedIdentityThroughIdentityEndpointAndIMDS() async throws {
        try await seed(["airflow-variables-a": "1"])
        let appService = CloudFixtures.azureDeployment(doubles, vault: vault, env: [
            "AZURE_CLIENT_SECRET": nil, "AZURE_CLIENT_ID": nil, "AZURE_TENANT_ID": nil,
            "IDENTITY_ENDPOINT": doubles.azureValue("identity_endpoint"), "IDENTITY_HEADER": doubles.azureValue("identity_header"),
        ])
        #expect(try await load(appService).records.count == 1)
        let imds = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: [
            "managed_identity_client_id": doubles.azureValue("managed_identity_client_id"),
        ], env: [
            "AZURE_CLIENT_SECRET": nil, "AZURE_CLIENT_ID": nil, "AZURE_TENANT_ID": nil,
            "AZURE_POD_IDENTITY_AUTHORITY_HOST": doubles.azureValue("imds_url"),
        ])
        #expect(try await load(imds).records.count == 1)
    }

    @Test func noCredentialsAtAllListsWhatToSet() async throws {
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, env: [
            "AZURE_CLIENT_SECRET": nil, "AZURE_CLIENT_ID": nil, "AZURE_TENANT_ID": nil,
            "AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://127.0.0.1:1",
        ])
        let message = try #require(await CloudFixtures.message { _ = try await load(deployment) })
        #expect(message.contains("no Azure credentials found"))
        #expect(message.contains("AZURE_FEDERATED_TOKEN_FILE"))
    }

    @Test func credentialsFromAnotherTenantAreRefusedBeforeAskingForAToken() async throws {
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, env: ["AZURE_TENANT_ID": doubles.azureValue("other_tenant_id")])
        let message = try #require(await CloudFixtures.message { _ = try await load(deployment) })
        #expect(message.contains("belongs to tenant \(doubles.azureValue("tenant_id"))"))
    }

    @Test func theChallengeResourceMustBeTheVaultsDomainUnlessRelaxed() async throws {
        let deployment = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: ["verify_challenge_resource": true])
        let message = try #require(await CloudFixtures.message { _ = try await load(deployment) })
        #expect(message.contains("verify_challenge_resource"))
    }

    @Test func aPrivateCAMustBeTrustedExplicitly() async throws {
        let untrusted = CloudFixtures.azureDeployment(doubles, vault: vault, env: ["REQUESTS_CA_BUNDLE": nil])
        let message = try #require(await CloudFixtures.message { _ = try await load(untrusted) })
        #expect(message.contains("SSL_CERT_FILE or REQUESTS_CA_BUNDLE"))
        let viaSSLCertFile = CloudFixtures.azureDeployment(doubles, vault: vault,
                                                           env: ["REQUESTS_CA_BUNDLE": nil, "SSL_CERT_FILE": doubles.azureCAFile])
        #expect(try await load(viaSSLCertFile).records.isEmpty)
        let missing = CloudFixtures.azureDeployment(doubles, vault: vault, env: ["REQUESTS_CA_BUNDLE": "/nonexistent/ca.pem"])
        #expect(throws: TierError.self) { try CloudFixtures.source(missing) }
    }

    @Test func plainHTTPVaultsAndOldAPIVersionsAreRefused() throws {
        let http = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: ["vault_url": "http://127.0.0.1:1/vaults/x"])
        #expect(throws: TierError.self) { try CloudFixtures.source(http) }
        let old = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: ["api_version": "7.3"])
        #expect(throws: TierError.self) { try CloudFixtures.source(old) }
        let none = CloudFixtures.azureDeployment(doubles, vault: vault, kwargs: ["vault_url": ""])
        #expect(throws: TierError.self) { try CloudFixtures.source(none) }
    }

    @Test func aMalformedReplyIsReportedNotParsed() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.azureControl("fault", ["vault": vault, "kind": "malformed", "count": 1])
        let message = await CloudFixtures.message { _ = try await load(CloudFixtures.azureDeployment(doubles, vault: vault)) }
        #expect(message?.contains("not a JSON object") == true)
    }
}
