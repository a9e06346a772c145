import Foundation
import PythonCompat
import Testing
import Engine
import RemoteSupport
@testable import VaultBackend

/// Writing: KV v2 check-and-set on the version read, KV v1 compare-then-write, the user's
/// choice of conn_uri or field form, every write read back.
@Suite("Vault tier: writing")
struct VaultWriterTests {
    let bao: OpenBao

    init() throws { bao = try OpenBao.main() }

    func writer(mount: String, version: Int = 2) throws -> VaultSecretWriter {
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": mount,
                                                            "kv_engine_version": version])
        return VaultSecretWriter(source: source)
    }

    func stored(_ mount: String, _ path: String) async throws -> [String: Any] {
        let json = try await bao.ok("GET", "\(mount)/data/\(path)")
        return ((json["data"] as? [String: Any])?["data"] as? [String: Any]) ?? [:]
    }

    @Test func aConnectionIsWrittenInTheFormTheUserChoseAndReadsBackAsAirflowReadsIt() async throws {
        let mount = OpenBao.uniqueName("w")
        try await bao.enableKV(mount, version: 2)
        let writer = try writer(mount: mount)
        let connection = Connection(connType: "postgres", host: "db.example", login: "app", password: "p@ss/word", schema: "main",
                                    port: 5432, extra: #"{"sslmode": "require"}"#)

        let asURI = try await writer.write(.connection(connection, form: .uri), to: .connection("by_uri"), replacing: nil)
        #expect(asURI.version == 1)
        #expect(asURI.data.keys == ["conn_uri"])
        #expect(asURI.location.logicalName == "\(mount)/connections/by_uri")

        let asFields = try await writer.write(.connection(connection, form: .fields), to: .connection("by_fields"), replacing: nil)
        #expect(Set(asFields.data.keys) == ["conn_type", "host", "login", "password", "schema", "port", "extra"])
        #expect(try await stored(mount, "connections/by_fields")["extra"] as? [String: String] == ["sslmode": "require"])

        let snapshot = try await writer.source.load()
        for name in ["by_uri", "by_fields"] {
            guard case .present(.connection(let read))? = snapshot.record(.connection, "\(mount)/connections/\(name)")?.state else {
                Issue.record("\(name) did not read back as a connection")
                continue
            }
            #expect(read.host == "db.example")
            #expect(read.password == "p@ss/word")
            #expect(read.port == 5432)
            #expect(read.schema == "main")
            #expect(read.extraJSON == .object(JSONObject([("sslmode", .string("require"))])))
        }
    }

    @Test func aConcurrentChangeIsAConflictNeverASilentOverwrite() async throws {
        let mount = OpenBao.uniqueName("cas")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/limit", ["value": "10", "owner": "team-a"])
        let writer = try writer(mount: mount)
        let read = try #require(try await writer.read(.variable("limit")))
        #expect(read.version == 1)

        // Someone else changes it after we read it.
        try await bao.put(mount, "variables/limit", ["value": "20", "owner": "team-a"])
        let error = await thrownError {
            try await writer.write(.variable("30"), to: .variable("limit"), replacing: read)
        }
        let failure = try #require(error as? VaultFailure)
        #expect(failure.kind == .conflict)
        #expect(failure.message.contains("changed since version 1 was read"))
        #expect(try await stored(mount, "variables/limit")["value"] as? String == "20")

        // Starting again from what is there now succeeds, keeps the keys Airflow ignores, and bumps the version.
        let fresh = try #require(try await writer.read(.variable("limit")))
        let written = try await writer.write(.variable("30"), to: .variable("limit"), replacing: fresh)
        #expect(written.version == 3)
        #expect(written.data["value"] == .string("30"))
        #expect(written.data["owner"] == .string("team-a"))
    }

    @Test func creatingAKeyThatSomeoneElseCreatedMeanwhileIsAConflict() async throws {
        let mount = OpenBao.uniqueName("cas0")
        try await bao.enableKV(mount, version: 2)
        let writer = try writer(mount: mount)
        #expect(try await writer.read(.variable("new_key")) == nil)
        try await bao.put(mount, "variables/new_key", ["value": "theirs"])
        let error = await thrownError { try await writer.write(.variable("mine"), to: .variable("new_key"), replacing: nil) }
        #expect((error as? VaultFailure)?.kind == .conflict)
        #expect(try await stored(mount, "variables/new_key")["value"] as? String == "theirs")
    }

    @Test func kvVersion1ComparesWhatIsThereBeforeWriting() async throws {
        let mount = OpenBao.uniqueName("w1")
        try await bao.enableKV(mount, version: 1)
        let writer = try writer(mount: mount, version: 1)
        let created = try await writer.write(.variable("one"), to: .variable("v1_var"), replacing: nil)
        #expect(created.version == nil)
        #expect(created.location.apiPath == "/v1/\(mount)/variables/v1_var")
        try await bao.put(mount, "variables/v1_var", ["value": "changed elsewhere"], version: 1)
        let error = await thrownError { try await writer.write(.variable("two"), to: .variable("v1_var"), replacing: created) }
        #expect((error as? VaultFailure)?.kind == .conflict)
        let current = try #require(try await writer.read(.variable("v1_var")))
        #expect(current.data["value"] == .string("changed elsewhere"))
        let updated = try await writer.write(.variable("two"), to: .variable("v1_var"), replacing: current)
        #expect(updated.data["value"] == .string("two"))
    }

    @Test func aWriteWithoutPermissionSaysWhichPathAndCapability() async throws {
        let mount = OpenBao.uniqueName("wro")
        try await bao.enableKV(mount, version: 2)
        let policy = OpenBao.uniqueName("readonly")
        try await bao.policy(policy, #"path "\#(mount)/*" { capabilities = ["read", "list"] }"#)
        let token = try await bao.token(policies: [policy])
        let (source, _) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": token, "mount_point": mount])
        let error = await thrownError {
            try await VaultSecretWriter(source: source).write(.variable("x"), to: .variable("denied"), replacing: nil)
        }
        let failure = try #require(error as? VaultFailure)
        #expect(failure.kind == .permissionDenied)
        #expect(failure.message.contains("create \(mount)/data/variables/denied"))
        #expect(!failure.message.contains(token))
    }
}
