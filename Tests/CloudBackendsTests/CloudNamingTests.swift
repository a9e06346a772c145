import Foundation
import PythonCompat
import Testing
import Engine
import RemoteSupport
@testable import CloudBackends

/// The naming rules of provider backends, as the specification states them (§5.5, §5.6).
@Suite("Cloud naming rules")
struct CloudNamingTests {
    @Test func secretManagerJoinsPrefixSeparatorAndIDVerbatim() {
        let naming = GCPSecretNaming()
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("airflow-connections-smtp_default"))
        #expect(GCPSecretNaming(connectionsPrefix: "").lookupName(for: .connection("smtp_default")) == .name("-smtp_default"))
        #expect(GCPSecretNaming(variablesPrefix: "vars", separator: "_").lookupName(for: .variable("x")) == .name("vars_x"))
        #expect(naming.key(forSecretID: "airflow-variables-a_b", kind: .variable) == .variable("a_b"))
        #expect(naming.key(forSecretID: "airflow-variables-", kind: .variable) == nil)
        #expect(naming.key(forSecretID: "airflow-connections-x", kind: .variable) == nil)
    }

    @Test func secretManagerSecretIDRule() {
        #expect(GCPSecretNaming.isValidSecretID("a-Z_09"))
        #expect(!GCPSecretNaming.isValidSecretID("a.b"))
        #expect(!GCPSecretNaming.isValidSecretID("é"))
        #expect(!GCPSecretNaming.isValidSecretID(String(repeating: "a", count: 256)))
        #expect(GCPSecretNaming.isValidSecretID(String(repeating: "a", count: 255)))
    }

    @Test func secretManagerValidatesOnlyTheConnectionsPrefix() {
        #expect(throws: TierError.self) { try GCPSecretNaming(connectionsPrefix: "a/b").validate() }
        #expect(throws: Never.self) { try GCPSecretNaming(connectionsPrefix: nil, variablesPrefix: "a/b").validate() }
    }

    @Test func keyVaultStripsTrailingSeparatorsAndTurnsUnderscoresIntoTheSeparator() {
        let naming = KeyVaultSecretNaming(connectionsPrefix: "airflow_connections--")
        #expect(naming.lookupName(for: .connection("smtp_default")) == .name("airflow-connections-smtp-default"))
        #expect(KeyVaultSecretNaming(variablesPrefix: "").lookupName(for: .variable("my_var")) == .name("my-var"))
        #expect(KeyVaultSecretNaming(variablesPrefix: "v", separator: "").lookupName(for: .variable("my_var")) == .name("vmyvar"))
        #expect(naming.suggestedID(forSecretName: "airflow-connections-smtp-default", kind: .connection) == "smtp-default")
        #expect(KeyVaultSecretNaming(variablesPrefix: "").suggestedID(forSecretName: "anything", kind: .variable) == "anything")
    }

    @Test func keyVaultSkipsNamesOutsideItsRule() {
        let naming = KeyVaultSecretNaming()
        #expect(naming.lookupName(for: .variable("a.b")).name == nil)
        #expect(naming.lookupName(for: .variable(String(repeating: "x", count: 110))).name == nil)
        #expect(naming.lookupName(for: .variable(String(repeating: "x", count: 100))).name != nil)
        #expect(KeyVaultSecretNaming(connectionsPrefix: nil).lookupName(for: .connection("x")).name == nil)
    }

    @Test func pythonRStripTreatsItsArgumentAsACharacterSet() {
        #expect("abc-_-".pythonRStrip("-_") == "abc")
        #expect("abc ".pythonRStrip("") == "abc ")
    }
}

@Suite("Cloud wire details")
struct CloudWireTests {
    @Test func crc32cMatchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.retryAfter("3", now: now) == .seconds(3))
        #expect(RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
        // Hostile values that used to overflow a conversion to Int64 (found by fuzzing the cloud
        // replies, and by the adversarial run) are ignored, as RFC 9110 allows only digits.
        for hostile in ["1e300", "1e16", "inf", "-1", "NaN"] { #expect(RetryPolicy.retryAfter(hostile, now: now) == nil) }
        #expect(RetryPolicy.retryAfter("99999999999999999999", now: now) == RetryAfter.ceiling)
    }

    /// Found by fuzz-cloud-replies: a negative numeric `dataCrc32c` trapped converting to UInt64.
    @Test func payloadChecksumsAreReadFromTextOrNumbersAndANegativeOneIsNoChecksum() {
        #expect(SecretManagerClient.expectedChecksum(JSONReply(["dataCrc32c": "907060870"])) == 907_060_870)
        #expect(SecretManagerClient.expectedChecksum(JSONReply(["dataCrc32c": 907_060_870])) == 907_060_870)
        #expect(SecretManagerClient.expectedChecksum(JSONReply(["dataCrc32c": -1])) == nil)
        #expect(SecretManagerClient.expectedChecksum(JSONReply(["dataCrc32c": "-1"])) == nil)
        #expect(SecretManagerClient.expectedChecksum(JSONReply([:])) == nil)
    }

    @Test func keyVaultChallengesGiveTenantAndScope() {
        let challenge = KeyVaultChallenge(header: #"Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1", resource="https://vault.azure.net""#)
        #expect(challenge?.tenantID == "72f988bf-86f1")
        #expect(challenge?.scope == "https://vault.azure.net/.default")
        #expect(challenge?.matches(vaultHost: "myvault.vault.azure.net") == true)
        #expect(challenge?.matches(vaultHost: "evil.example") == false)
        let scoped = KeyVaultChallenge(header: #"Bearer authorization_uri="https://login.example/t1", scope="https://vault.azure.net/.default""#)
        #expect(scoped?.scope == "https://vault.azure.net/.default")
        #expect(KeyVaultChallenge(header: "Basic realm=x") == nil)
    }

    @Test func formEncodingEscapesEverythingButUnreservedCharacters() {
        #expect(String(decoding: FormEncoding.encode([("a b", "x+y/z=~")]), as: UTF8.self) == "a%20b=x%2By%2Fz%3D~")
    }
}

/// The tiers name secrets exactly as the Engine's `BackendNaming` (used by explain, lint and
/// the backend pane) says Airflow does, for the same kwargs.
@Suite("Cloud naming agrees with BackendNaming")
struct CloudNamingAgreementTests {
    static let kwargSets: [JSONObject] = [
        JSONObject(),
        JSONObject([("connections_prefix", .string("")), ("variables_prefix", .string(""))]),
        JSONObject([("sep", .string("_")), ("variables_prefix", .null)]),
        JSONObject([("connections_prefix", .string("airflow-connections--")), ("sep", .string("-"))]),
        JSONObject([("connections_prefix", .string("conn")), ("variables_prefix", .string("var")), ("sep", .string(""))]),
    ]
    static let keys: [SecretKey] = [
        .connection("smtp_default"), .connection("my-db"), .variable("a.b"), .variable(String(repeating: "x", count: 130)),
        .variable("UPPER_case"), .connection("x"),
    ]

    @Test func secretManager() throws {
        for kwargs in Self.kwargSets {
            let configuration = BackendConfiguration(classPath: "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend",
                                                     family: .gcpSecretManager, kwargs: kwargs)
            let settings = try? GCPSecretNaming(connectionsPrefix: kwargs["connections_prefix"].map { $0.stringValue } ?? "airflow-connections",
                                                variablesPrefix: kwargs["variables_prefix"].map { $0.stringValue } ?? "airflow-variables",
                                                separator: kwargs["sep"]?.stringValue ?? "-")
            let naming = try #require(settings)
            let engine = BackendNaming(configuration: configuration)
            for key in Self.keys {
                #expect(naming.lookupName(for: key).name == engine.lookupName(for: key).name, "\(key) with \(kwargs.keys)")
            }
        }
    }

    @Test func keyVault() throws {
        for kwargs in Self.kwargSets {
            let configuration = BackendConfiguration(classPath: "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
                                                     family: .azureKeyVault, kwargs: kwargs)
            let naming = KeyVaultSecretNaming(connectionsPrefix: kwargs["connections_prefix"].map { $0.stringValue } ?? "airflow-connections",
                                              variablesPrefix: kwargs["variables_prefix"].map { $0.stringValue } ?? "airflow-variables",
                                              separator: kwargs["sep"]?.stringValue ?? "-")
            let engine = BackendNaming(configuration: configuration)
            for key in Self.keys {
                #expect(naming.lookupName(for: key).name == engine.lookupName(for: key).name, "\(key) with \(kwargs.keys)")
            }
        }
    }
}
