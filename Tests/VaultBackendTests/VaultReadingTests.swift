import Foundation
import PythonCompat
import Testing
import Engine
import RemoteSupport
@testable import VaultBackend

/// Reading KV v1 and v2 against a real OpenBao server, as the hashicorp provider reads them:
/// exact paths, `conn_uri` or field-form connections, `value` variables, disabled kinds.
@Suite("Vault tier: reading")
struct VaultReadingTests {
    let bao: OpenBao

    init() throws { bao = try OpenBao.main() }

    /// Deletes every secret under `<mount>/<folder>/` (KV v2), so the test sees only its own.
    func wipe(_ mount: String, _ folder: String) async throws {
        let reply = try await bao.call("LIST", "\(mount)/metadata/\(folder)/")
        let keys = ((reply.json["data"] as? [String: Any])?["keys"] as? [String]) ?? []
        for key in keys {
            if key.hasSuffix("/") { try await wipe(mount, folder + "/" + key.dropLast()) }
            else { try await bao.ok("DELETE", "\(mount)/metadata/\(folder)/\(key)") }
        }
    }

    @Test func theAstroGuidesVaultSetupYieldsExactlyItsSecretsUnderTheirExactPaths() async throws {
        // The guide: approle auth, policy astro_policy on secret/*, role astro_role with role_id astro_role.
        try await bao.enableAuth("approle", type: "approle")
        try await bao.policy("astro_policy", #"path "secret/*" { capabilities = ["create", "read", "update", "patch", "delete", "list"] }"#)
        let (roleID, secretID) = try await bao.appRole(mount: "approle", role: "astro_role", settings: [
            "role_id": "astro_role", "secret_id_ttl": 0, "secret_id_num_uses": 0, "token_num_uses": 0,
            "token_ttl": "24h", "token_max_ttl": "24h", "token_policies": "astro_policy"])
        #expect(roleID == "astro_role")
        try await wipe("secret", "connections")
        try await wipe("secret", "variables")
        // `vault kv put secret/variables/<key> value=…` and `secret/connections/<id> conn_uri=…`.
        try await bao.put("secret", "variables/my_var", ["value": "my-variable-value"])
        try await bao.put("secret", "connections/my_conn", ["conn_uri": "postgres://guide_login:guide-pass@db.example:5432"])

        let (source, counter) = try VaultFixtures.source(kwargs: [
            "connections_path": "connections", "variables_path": "variables", "config_path": nil,
            "url": bao.address, "auth_type": "approle", "role_id": "astro_role", "secret_id": secretID])
        let snapshot = try await source.load()

        #expect(snapshot.records.map(\.name).sorted() == ["secret/connections/my_conn", "secret/variables/my_var"])
        let variable = try #require(snapshot.record(.variable, "secret/variables/my_var"))
        #expect(variable.suggestedID == "my_var")
        #expect(variable.state == .present(.variable("my-variable-value")))
        #expect(variable.metadata["version"] == "1")
        #expect(variable.metadata["mount"] == "secret")
        #expect(variable.metadata["created"] != nil)
        let connection = try #require(snapshot.record(.connection, "secret/connections/my_conn"))
        #expect(connection.suggestedID == "my_conn")
        #expect(connection.rawText == "postgres://guide_login:guide-pass@db.example:5432")
        guard case .present(.connection(let parsed)) = connection.state else {
            Issue.record("the guide's connection did not parse: \(connection.state)")
            return
        }
        #expect(parsed.connType == "postgres")
        #expect(parsed.host == "db.example")
        #expect(parsed.login == "guide_login")
        #expect(parsed.password == "guide-pass")
        #expect(parsed.port == 5432)
        // The names Airflow asks for match the records, and the requests are hvac's.
        #expect(source.lookupName(for: .variable("my_var")) == .name("secret/variables/my_var"))
        #expect(source.lookupName(for: .connection("my_conn")) == .name("secret/connections/my_conn"))
        let paths = counter.requests.map(\.url.path)
        #expect(paths.contains("/v1/auth/approle/login"))
        #expect(paths.contains("/v1/secret/data/variables/my_var"))
        #expect(paths.contains("/v1/secret/data/connections/my_conn"))
        #expect(!snapshot.visibleText.contains(secretID))
        #expect(!source.descriptor.detail.contains(secretID))
    }

    @Test func anEmptyKVVersion1MountLoadsAsAnEmptyTier() async throws {
        // OpenBao lists an empty KV v1 folder as 200 with `{"data": {}}`, not 404.
        let mount = OpenBao.uniqueName("kv1empty")
        try await bao.enableKV(mount, version: 1)
        let (source, _) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "token": bao.rootToken, "mount_point": mount, "kv_engine_version": 1])
        let snapshot = try await source.load()
        #expect(snapshot.records.isEmpty)
    }

    @Test func kvVersion1ReadsFieldFormConnectionsAndNestedKeysFromTheTopOfTheMount() async throws {
        let mount = OpenBao.uniqueName("kv1")
        try await bao.enableKV(mount, version: 1)
        try await bao.put(mount, "conns/warehouse", ["conn_type": "postgresql", "host": "wh.example", "login": "etl",
                                                   "password": "pw", "port": "5439", "extra": ["sslmode": "require"]], version: 1)
        try await bao.put(mount, "conns/team/a/db", ["conn_uri": "mysql://x@h/s"], version: 1)
        try await bao.put(mount, "vars/region", ["value": "eu-west-1"], version: 1)
        try await bao.put(mount, "vars/empty", ["value": ""], version: 1)
        try await bao.put(mount, "vars/count", ["value": 3], version: 1)
        try await bao.put(mount, "vars/no_value_key", ["other": "x"], version: 1)
        try await bao.put(mount, "elsewhere/ignored", ["value": "not a variable"], version: 1)

        let (source, _) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "token": bao.rootToken, "mount_point": mount, "kv_engine_version": 1,
            "connections_path": "conns/", "variables_path": "vars"])
        let snapshot = try await source.load()
        #expect(Set(snapshot.records.map(\.name)) == [
            "\(mount)/conns/warehouse", "\(mount)/conns/team/a/db", "\(mount)/vars/region", "\(mount)/vars/empty",
            "\(mount)/vars/count", "\(mount)/vars/no_value_key"])

        let warehouse = try #require(snapshot.record(.connection, "\(mount)/conns/warehouse"))
        guard case .present(.connection(let parsed)) = warehouse.state else {
            Issue.record("field-form connection did not parse: \(warehouse.state)")
            return
        }
        #expect(parsed.connType == "postgres")  // from_json normalises postgresql
        #expect(parsed.port == 5439)            // a string port is converted
        #expect(parsed.extraJSON == .object(JSONObject([("sslmode", .string("require"))])))
        #expect(warehouse.metadata["form"] == "fields")
        #expect(warehouse.metadata["version"] == nil)

        let nested = try #require(snapshot.record(.connection, "\(mount)/conns/team/a/db"))
        #expect(nested.suggestedID == "team/a/db")
        #expect(snapshot.record(.variable, "\(mount)/vars/region")?.state == .present(.variable("eu-west-1")))
        #expect(snapshot.record(.variable, "\(mount)/vars/empty")?.state == .empty)
        #expect(snapshot.record(.variable, "\(mount)/vars/count")?.state == .present(.variable("3")))
        #expect(snapshot.record(.variable, "\(mount)/vars/count")?.metadata["value_type"] == "int")
        guard case .unreadable(let reason)? = snapshot.record(.variable, "\(mount)/vars/no_value_key")?.state else {
            Issue.record("a secret without value should be unreadable")
            return
        }
        #expect(reason.contains("\"value\""))
        // KV v1 requests have no data/ segment.
        let single = try await source.read(.variable("region"))
        #expect(single?.location.apiPath == "/v1/\(mount)/vars/region")
        #expect(single?.data["value"] == .string("eu-west-1"))
    }

    @Test func aFieldFormSecretWithAKeyAirflowDoesNotKnowIsUnreadableWithoutQuotingIt() async throws {
        let mount = OpenBao.uniqueName("kv2")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "connections/bad", ["host": "h", "secret_thing": "s3cr3t-value"])
        try await bao.put(mount, "connections/blank_uri", ["conn_uri": "   "])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": mount])
        let snapshot = try await source.load()
        guard case .unreadable(let reason)? = snapshot.record(.connection, "\(mount)/connections/bad")?.state else {
            Issue.record("an unknown key must make the connection unreadable")
            return
        }
        #expect(reason.contains("TypeError"))
        #expect(!reason.contains("s3cr3t-value"))
        guard case .unreadable(let blank)? = snapshot.record(.connection, "\(mount)/connections/blank_uri")?.state else {
            Issue.record("a whitespace conn_uri must be unreadable")
            return
        }
        #expect(blank.contains("IndexError"))
    }

    @Test func aNullPathTurnsItsKindOffAndAListOfPathsIsTriedInOrder() async throws {
        let mount = OpenBao.uniqueName("kv2")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "team/variables/shared", ["value": "from team"])
        try await bao.put(mount, "global/variables/shared", ["value": "from global"])
        try await bao.put(mount, "global/variables/only_global", ["value": "g"])
        try await bao.put(mount, "connections/c", ["conn_uri": "http://h"])
        let (source, counter) = try VaultFixtures.source(kwargs: [
            "url": bao.address, "token": bao.rootToken, "mount_point": mount,
            "connections_path": nil, "variables_path": ["team/variables", "global/variables"]])
        let snapshot = try await source.load()
        #expect(snapshot.records.allSatisfy { $0.kind == .variable })
        #expect(!counter.requests.contains { $0.url.path.contains("connections") })
        let shared = try #require(snapshot.record(.variable, "\(mount)/team/variables/shared"))
        #expect(shared.state == .present(.variable("from team")))
        // Found under the second path: named as Airflow first asks, with where it was found.
        let onlyGlobal = try #require(snapshot.record(.variable, "\(mount)/team/variables/only_global"))
        #expect(onlyGlobal.state == .present(.variable("g")))
        #expect(onlyGlobal.metadata["found_at"] == "\(mount)/global/variables/only_global")
        #expect(source.lookupName(for: .connection("c")).name == nil)
    }

    @Test func mountPointNullTakesTheMountFromEachKey() async throws {
        let mount = OpenBao.uniqueName("kvnull")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/team_var", ["value": "v"])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": nil])
        #expect(source.lookupName(for: .variable("\(mount)/team_var")) == .name("\(mount)/variables/team_var"))
        let snapshot = try await source.load()
        let record = try #require(snapshot.record(.variable, "\(mount)/variables/team_var"))
        #expect(record.suggestedID == "\(mount)/team_var")
        #expect(record.state == .present(.variable("v")))
    }

    @Test func configOptionsAreReadFromConfigPathAndANullConfigPathReadsNothing() async throws {
        let mount = OpenBao.uniqueName("kvcfg")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "config/sql_alchemy_conn", ["value": "sqlite:////tmp/x.db"])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": mount])
        #expect(try await source.configValue("sql_alchemy_conn") == "sqlite:////tmp/x.db")
        #expect(try await source.configValue("missing") == nil)
        let (disabled, counter) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken,
                                                                    "mount_point": mount, "config_path": nil])
        #expect(try await disabled.configValue("sql_alchemy_conn") == nil)
        #expect(counter.count == 0)
    }

    @Test func aDeletedLatestVersionIsAbsentAsAirflowSeesIt() async throws {
        let mount = OpenBao.uniqueName("kvdel")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/gone", ["value": "old"])
        try await bao.ok("DELETE", "\(mount)/data/variables/gone")
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": mount])
        let snapshot = try await source.load()
        #expect(snapshot.records.isEmpty)
        #expect(snapshot.warnings.contains { $0.contains("\(mount)/variables/gone") && $0.contains("deleted") })
        #expect(try await source.read(.variable("gone")) == nil)
    }
}
