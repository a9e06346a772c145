import Foundation
import Testing
import Engine
import RemoteSupport
@testable import AWSBackends

/// The Secrets Manager tier against a real moto server with IAM authentication on.
@Suite("Secrets Manager tier (moto)")
struct SecretsManagerTierTests {
    let moto: Moto
    let run = Moto.unique("t")

    init() throws { moto = try Moto.connect() }

    var kwargs: [String: Any] { ["connections_prefix": "\(run)/connections", "variables_prefix": "\(run)/variables"] }

    @Test func browsingListsVariablesAndConnectionsUnderTheirExactNamesWithVersionMetadata() async throws {
        try await moto.createSecret("\(run)/variables/my_var", "hello")
        try await moto.createSecret("\(run)/connections/my_db", "postgres://u:p%40ss@db.example:5432/app")
        try await moto.createSecret("\(run)/other/ignored", "x")
        let source = try AWSFixtures.secretsManager(try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs))
        let snapshot = try await source.load()
        #expect(snapshot.records.count == 2)
        let variable = try #require(snapshot.record(.variable, "\(run)/variables/my_var"))
        #expect(variable.suggestedID == "my_var")
        #expect(variable.state == .present(.variable("hello")))
        #expect(variable.metadata["version_stages"] == "AWSCURRENT")
        #expect(variable.metadata["version_id"]?.isEmpty == false)
        #expect(variable.metadata["arn"]?.hasPrefix("arn:aws:secretsmanager:us-east-1:") == true)
        #expect(variable.metadata["last_changed"] != nil)
        let connection = try #require(snapshot.record(.connection, "\(run)/connections/my_db"))
        guard case .present(.connection(let conn)) = connection.state else { Issue.record("not a connection"); return }
        #expect(conn.connType == "postgres")
        #expect(conn.password == "p@ss")
        #expect(conn.port == 5432)
        #expect(source.lookupName(for: .connection("my_db")) == .name("\(run)/connections/my_db"))
    }

    @Test func jsonSecretsAreReKeyedWithTheProviderWordListsInTheSecretsOwnKeyOrder() async throws {
        // user before username: the first key in the secret's order that is in the word list wins.
        try await moto.createSecret("\(run)/connections/rds", #"{"engine": "postgresql", "user": "first", "username": "second", "#
            + #""password": "pw", "host": "rds.example", "port": "5432", "dbname": "ignored", "database": "app", "unknown": 1}"#)
        try await moto.createSecret("\(run)/connections/words", #"{"conn_type": "mysql", "usr": "custom", "pwd": "x", "server": "h"}"#)
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs.merging(
            ["extra_conn_words": ["user": ["usr"], "password": ["pwd"]]]) { $1 })
        let snapshot = try await AWSFixtures.secretsManager(deployment).load()
        guard case .present(.connection(let rds))? = snapshot.record(.connection, "\(run)/connections/rds")?.state else {
            Issue.record("rds did not parse"); return
        }
        #expect(rds.connType == "postgres")   // engine postgresql → postgres
        #expect(rds.login == "first")
        #expect(rds.schema == "app")          // dbname is not in the default list
        #expect(rds.port == 5432)
        #expect(rds.host == "rds.example")
        guard case .present(.connection(let custom))? = snapshot.record(.connection, "\(run)/connections/words")?.state else {
            Issue.record("words did not parse"); return
        }
        #expect(custom.login == "custom")
        #expect(custom.password == "x")
        #expect(custom.host == "h")
    }

    @Test func theMappingMatchesTheProviderForEdgeCases() throws {
        let mapping = SecretsManagerConnectionMapping()
        #expect(try mapping.connectionValue(fromSecret: " {\"key\": \"k\", \"pass\": \"p\"}")
            == #"{"login": null, "password": "k", "host": null, "port": null, "schema": null, "conn_type": null, "extra": null}"#)
        #expect(try mapping.connectionValue(fromSecret: "mysql://h") == "mysql://h")
        let legacy = SecretsManagerConnectionMapping(unquoteValues: true)
        #expect(try legacy.connectionValue(fromSecret: #"{"login": "a%40b", "extra": {"k": "%41"}}"#)
            == #"{"login": "a@b", "password": null, "host": null, "port": null, "schema": null, "conn_type": null, "extra": {"k": "%41"}}"#)
        #expect(throws: AirflowError.self) { try legacy.connectionValue(fromSecret: #"{"port": 5432}"#) }
    }

    @Test func nullPrefixesDisableAKindAndEmptyPrefixesUseTheBareId() async throws {
        try await moto.createSecret("\(run)-bare", "v")
        try await moto.createSecret("\(run)/connections/c", "http://h")
        let deployment = try moto.deployment(Moto.secretsManagerClass,
                                             kwargs: ["connections_prefix": NSNull(), "variables_prefix": ""])
        let source = try AWSFixtures.secretsManager(deployment)
        #expect(source.lookupName(for: .variable("\(run)-bare")) == .name("\(run)-bare"))
        if case .name = source.lookupName(for: .connection("c")) { Issue.record("connections should be disabled") }
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(run)-bare")?.state == .present(.variable("v")))
        #expect(!snapshot.records.contains { $0.kind == .connection })
    }

    @Test func aCustomSeparatorAndTrailingSeparatorsAreHandledAsAirflowDoes() async throws {
        try await moto.createSecret("\(run):vars:x", "1")
        let deployment = try moto.deployment(Moto.secretsManagerClass,
                                             kwargs: ["variables_prefix": "\(run):vars::", "sep": ":", "connections_prefix": NSNull()])
        let source = try AWSFixtures.secretsManager(deployment)
        #expect(source.lookupName(for: .variable("x")) == .name("\(run):vars:x"))
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(run):vars:x")?.suggestedID == "x")
    }

    @Test func lookupPatternsSkipIdsAirflowNeverAsksFor() async throws {
        try await moto.createSecret("\(run)/variables/prod_a", "1")
        try await moto.createSecret("\(run)/variables/dev_b", "2")
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs.merging(["variables_lookup_pattern": "PROD_"]) { $1 })
        let source = try AWSFixtures.secretsManager(deployment)
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(run)/variables/prod_a") != nil)   // re.IGNORECASE
        #expect(snapshot.record(.variable, "\(run)/variables/dev_b") == nil)
        #expect(snapshot.warnings.contains { $0.contains("dev_b") })
        if case .name = source.lookupName(for: .variable("dev_b")) { Issue.record("dev_b should be skipped") }
    }

    @Test func listingFollowsEveryPageAndReadsValuesTwentyAtATime() async throws {
        let items = (0..<130).map { ("\(run)/variables/v\(String(format: "%03d", $0))", "value \($0)") }
        try await moto.createSecrets(items)
        let counting = CountingTransport(moto.transport)
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs)
        let snapshot = try await AWSFixtures.secretsManager(deployment, provider: AWSFixtures.provider(transport: counting)).load()
        #expect(snapshot.records.count == 130)
        #expect(snapshot.record(.variable, "\(run)/variables/v129")?.state == .present(.variable("value 129")))
        // Answered calls only: moto 5 answers concurrent calls with a transient 500 now and then,
        // and the retry that follows is the policy's business, not the paging's.
        let counts = counting.successfulCountsByOperation
        // Two prefixes, each listed on its own: 2 pages for variables, 1 for connections; 7 batches of ≤20.
        #expect(counts["secretsmanager.ListSecrets"] == 3)
        #expect(counts["secretsmanager.BatchGetSecretValue"] == 7)
        #expect(counts["secretsmanager.GetSecretValue"] == nil)
    }

    @Test func withoutBatchPermissionValuesAreReadOneByOne() async throws {
        try await moto.createSecret("\(run)/variables/a", "1")
        try await moto.createSecret("\(run)/variables/b", "2")
        let keys = try await moto.user(allowing: ["secretsmanager:ListSecrets", "secretsmanager:GetSecretValue"])
        let counting = CountingTransport(moto.transport)
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs, keys: keys)
        let snapshot = try await AWSFixtures.secretsManager(deployment, provider: AWSFixtures.provider(transport: counting)).load()
        #expect(snapshot.record(.variable, "\(run)/variables/b")?.state == .present(.variable("2")))
        // Answered calls: a transient moto 500 and its retry are not reads the tier asked for.
        #expect(counting.successfulCountsByOperation["secretsmanager.GetSecretValue"] == 2)
        #expect(snapshot.warnings.contains { $0.contains("BatchGetSecretValue") })
    }

    @Test func aDeniedReadIsUnreadableAndNamesTheIAMActionAndResource() async throws {
        try await moto.createSecret("\(run)/variables/locked", "secret-value-123")
        let keys = try await moto.user(allowing: ["secretsmanager:ListSecrets"])
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs, keys: keys)
        let snapshot = try await AWSFixtures.secretsManager(deployment).load()
        let record = try #require(snapshot.record(.variable, "\(run)/variables/locked"))
        guard case .unreadable(let reason) = record.state else { Issue.record("expected unreadable"); return }
        #expect(reason.contains("secretsmanager:GetSecretValue"))
        #expect(reason.contains("IAM denies"))
        #expect(!reason.contains("secret-value-123"))
        #expect(record.rawText == nil)
    }

    @Test func aDeniedListingFailsTheTierNamingListSecrets() async throws {
        let keys = try await moto.user(allowing: ["secretsmanager:GetSecretValue"])
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs, keys: keys)
        let error = await #expect(throws: TierError.self) { try await AWSFixtures.secretsManager(deployment).load() }
        #expect(error?.message.contains("secretsmanager:ListSecrets") == true)
        #expect(error?.message.contains(keys.secretAccessKey) == false)
    }

    @Test func aWrongSecretKeyIsRejectedByMotoAsABadSignature() async throws {
        var keys = moto.admin
        keys.secretAccessKey = "not-the-right-secret-key"
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs, keys: keys)
        let error = await #expect(throws: TierError.self) { try await AWSFixtures.secretsManager(deployment).load() }
        #expect(error?.message.contains("signature") == true)
        #expect(error?.message.contains("not-the-right-secret-key") == false)
    }

    @Test func binarySecretsAndUnparsableConnectionsAreUnreadableWithTheReason() async throws {
        try await moto.createBinarySecret("\(run)/variables/bin")
        try await moto.createSecret("\(run)/connections/broken", "{not json")
        try await moto.createSecret("\(run)/connections/spaces", "   ")
        let snapshot = try await AWSFixtures.secretsManager(try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs)).load()
        guard case .unreadable(let binary)? = snapshot.record(.variable, "\(run)/variables/bin")?.state else {
            Issue.record("binary secret should be unreadable"); return
        }
        #expect(binary.contains("SecretBinary"))
        guard case .unreadable(let broken)? = snapshot.record(.connection, "\(run)/connections/broken")?.state else {
            Issue.record("broken JSON should be unreadable"); return
        }
        #expect(broken.contains("JSONDecodeError"))
        guard case .unreadable(let spaces)? = snapshot.record(.connection, "\(run)/connections/spaces")?.state else {
            Issue.record("whitespace should be unreadable"); return
        }
        #expect(spaces.contains("IndexError"))
    }

    @Test func singleReadsUseTheLookupName() async throws {
        try await moto.createSecret("\(run)/variables/one", "1")
        let source = try AWSFixtures.secretsManager(try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs))
        #expect(try await source.read(.variable("one"))?.state == .present(.variable("1")))
        #expect(try await source.read(.variable("missing")) == nil)
    }

    @Test func theRoleInTheKwargsIsAssumedThroughSTS() async throws {
        try await moto.createSecret("\(run)/variables/via_role", "ok")
        let role = try await moto.role(allowing: ["secretsmanager:*"])
        // The base user may only assume roles: reading works only with the role's credentials.
        let base = try await moto.user(allowing: ["sts:AssumeRole"])
        let counting = CountingTransport(moto.transport)
        let deployment = try moto.deployment(Moto.secretsManagerClass,
                                             kwargs: kwargs.merging(["role_arn": role, "region_name": Moto.region]) { $1 }, keys: base)
        let source = try AWSFixtures.secretsManager(deployment, provider: AWSFixtures.provider(transport: counting))
        #expect(source.settings.authSummary.contains(role))
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(run)/variables/via_role")?.state == .present(.variable("ok")))
        #expect(counting.countsByOperation["AssumeRole"] == 1)
        // Without the role the same user is denied.
        let direct = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs, keys: base)
        await #expect(throws: TierError.self) { try await AWSFixtures.secretsManager(direct).load() }
    }

    @Test func writesPutANewVersionOrCreateTheSecretAndVerifyIt() async throws {
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: kwargs)
        let writer = try AWSFixtures.provider().makeWriter(configuration: try AWSFixtures.configuration(deployment), deployment: deployment)
        let created = try await writer.write("first", for: .variable("w"))
        #expect(created.created)
        #expect(created.name == "\(run)/variables/w")
        let updated = try await writer.write("second", for: .variable("w"))
        #expect(!updated.created)
        #expect(updated.version != created.version)
        let connection = Connection(connType: "postgres", host: "db", login: "u", password: "p@ss", schema: "app", port: 5432)
        let asJSON = try await writer.write(connection: connection, id: "jc", as: .json)
        let asURI = try await writer.write(connection: connection, id: "uc", as: .uri)
        #expect(asJSON.notes.isEmpty && asURI.notes.isEmpty)
        let snapshot = try await AWSFixtures.secretsManager(deployment).load()
        #expect(snapshot.record(.variable, "\(run)/variables/w")?.state == .present(.variable("second")))
        for name in ["jc", "uc"] {
            guard case .present(.connection(let read))? = snapshot.record(.connection, "\(run)/connections/\(name)")?.state else {
                Issue.record("\(name) did not read back"); continue
            }
            #expect(read.login == "u" && read.password == "p@ss" && read.host == "db" && read.port == 5432 && read.schema == "app")
        }
        #expect(snapshot.record(.connection, "\(run)/connections/jc")?.rawText?.hasPrefix("{") == true)
    }

    @Test func oldAndNewProviderVersionsDifferOnURLEncodedJSONSecrets() async throws {
        try await moto.createSecret("\(run)/connections/enc", #"{"conn_type": "http", "login": "a%40b", "host": "h"}"#)
        let options = kwargs.merging(["are_secret_values_urlencoded": true]) { $1 }
        let v2 = try await AWSFixtures.secretsManager(try moto.deployment(Moto.secretsManagerClass, kwargs: options, version: .v2),
                                                      dialect: .airflow2).load()
        let v3 = try await AWSFixtures.secretsManager(try moto.deployment(Moto.secretsManagerClass, kwargs: options)).load()
        guard case .present(.connection(let old))? = v2.record(.connection, "\(run)/connections/enc")?.state,
              case .present(.connection(let new))? = v3.record(.connection, "\(run)/connections/enc")?.state else {
            Issue.record("did not parse"); return
        }
        #expect(old.login == "a@b")
        #expect(new.login == "a%40b")
        #expect(v3.warnings.contains { $0.contains("removed in amazon provider 9.0") })
    }
}
