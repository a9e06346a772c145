import Foundation
import Testing
import Engine
import RemoteSupport
@testable import AWSBackends

/// The SSM Parameter Store tier against a real moto server with IAM authentication on.
@Suite("Parameter Store tier (moto)")
struct ParameterStoreTierTests {
    let moto: Moto
    let run = Moto.unique("t")

    init() throws { moto = try Moto.connect() }

    var kwargs: [String: Any] { ["connections_prefix": "/\(run)/connections", "variables_prefix": "/\(run)/variables"] }

    @Test func secureStringsAreDecryptedAndTypeAndVersionAreMetadata() async throws {
        try await moto.putParameter("/\(run)/variables/plain", "hello")
        try await moto.putParameter("/\(run)/connections/db", "mysql://u:secret@h:3306/s", type: "SecureString")
        try await moto.putParameter("/\(run)/connections/db", "mysql://u:secret2@h:3306/s", type: "SecureString")
        let source = try AWSFixtures.parameterStore(try moto.deployment(Moto.ssmClass, kwargs: kwargs))
        let snapshot = try await source.load()
        #expect(snapshot.records.count == 2)
        let variable = try #require(snapshot.record(.variable, "/\(run)/variables/plain"))
        #expect(variable.state == .present(.variable("hello")))
        #expect(variable.metadata["type"] == "String")
        let connection = try #require(snapshot.record(.connection, "/\(run)/connections/db"))
        #expect(connection.suggestedID == "db")
        #expect(connection.metadata["type"] == "SecureString")
        #expect(connection.metadata["version"] == "2")
        guard case .present(.connection(let conn)) = connection.state else { Issue.record("not parsed"); return }
        #expect(conn.password == "secret2")
    }

    @Test func prefixesWithoutALeadingSlashGetOneAndTrailingSlashesAreStripped() async throws {
        try await moto.putParameter("/\(run)/vars/k", "v")
        let deployment = try moto.deployment(Moto.ssmClass, kwargs: ["variables_prefix": "\(run)/vars///", "connections_prefix": NSNull()])
        let source = try AWSFixtures.parameterStore(deployment)
        #expect(source.lookupName(for: .variable("k")) == .name("/\(run)/vars/k"))
        if case .name = source.lookupName(for: .connection("c")) { Issue.record("connections are disabled") }
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "/\(run)/vars/k")?.suggestedID == "k")
        #expect(!snapshot.records.contains { $0.kind == .connection })
    }

    @Test func idsWithSlashesAreFoundRecursivelyAndJSONConnectionsUseStandardKeysOnly() async throws {
        try await moto.putParameter("/\(run)/connections/team/a", #"{"conn_type": "http", "host": "h", "user": "ignored"}"#)
        let snapshot = try await AWSFixtures.parameterStore(try moto.deployment(Moto.ssmClass, kwargs: kwargs)).load()
        let record = try #require(snapshot.record(.connection, "/\(run)/connections/team/a"))
        #expect(record.suggestedID == "team/a")
        // No word aliases in SSM: `user` is not a Connection field, so from_json raises.
        guard case .unreadable(let reason) = record.state else { Issue.record("expected unreadable"); return }
        #expect(reason.contains("TypeError"))
    }

    @Test func listingFollowsEveryPageOfTen() async throws {
        for index in 0..<25 { try await moto.putParameter("/\(run)/variables/p\(index)", "\(index)") }
        let counting = CountingTransport(moto.transport)
        let deployment = try moto.deployment(Moto.ssmClass, kwargs: kwargs)
        let snapshot = try await AWSFixtures.parameterStore(deployment, provider: AWSFixtures.provider(transport: counting)).load()
        #expect(snapshot.records.count == 25)
        #expect(snapshot.record(.variable, "/\(run)/variables/p24")?.state == .present(.variable("24")))
        // 3 pages of variables, 1 (empty) page of connections.
        #expect(counting.countsByOperation["AmazonSSM.GetParametersByPath"] == 4)
    }

    @Test func singleAndMultipleReadsUseGetParameterAndGetParameters() async throws {
        try await moto.putParameter("/\(run)/variables/a", "1")
        try await moto.putParameter("/\(run)/variables/b", "2", type: "SecureString")
        let source = try AWSFixtures.parameterStore(try moto.deployment(Moto.ssmClass, kwargs: kwargs))
        #expect(try await source.read(.variable("a"))?.state == .present(.variable("1")))
        #expect(try await source.read(.variable("nope")) == nil)
        let many = try await source.read([.variable("a"), .variable("b"), .variable("nope")])
        #expect(many.count == 2)
        #expect(many[.variable("b")]?.state == .present(.variable("2")))
    }

    @Test func writesOverwriteKeepingTheTypeAndCreateSecureStringsByDefault() async throws {
        try await moto.putParameter("/\(run)/variables/kept", "old", type: "String")
        let deployment = try moto.deployment(Moto.ssmClass, kwargs: kwargs)
        let writer = try AWSFixtures.provider().makeWriter(configuration: try AWSFixtures.configuration(deployment), deployment: deployment)
        let kept = try await writer.write("new", for: .variable("kept"))
        #expect(!kept.created)
        #expect(kept.version == "2")
        let fresh = try await writer.write(connection: Connection(connType: "http", host: "h", password: "pw"), id: "c", as: .uri)
        #expect(fresh.created)
        let snapshot = try await AWSFixtures.parameterStore(deployment).load()
        #expect(snapshot.record(.variable, "/\(run)/variables/kept")?.metadata["type"] == "String")
        #expect(snapshot.record(.variable, "/\(run)/variables/kept")?.state == .present(.variable("new")))
        let connection = try #require(snapshot.record(.connection, "/\(run)/connections/c"))
        #expect(connection.metadata["type"] == "SecureString")
        guard case .present(.connection(let conn)) = connection.state else { Issue.record("not parsed"); return }
        #expect(conn.password == "pw")
        await #expect(throws: TierError.self) { _ = try await writer.write("", for: .variable("empty")) }
    }

    @Test func aDeniedListingNamesTheActionAndWhatAirflowNeeds() async throws {
        let keys = try await moto.user(allowing: ["ssm:GetParameter"])
        let deployment = try moto.deployment(Moto.ssmClass, kwargs: kwargs, keys: keys)
        let error = await #expect(throws: TierError.self) { try await AWSFixtures.parameterStore(deployment).load() }
        #expect(error?.message.contains("ssm:GetParametersByPath") == true)
    }
}
