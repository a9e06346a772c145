import Foundation
import Testing
import Editing
import Engine
@testable import Backends

/// A deployment edited as the app edits it: loaded through `AppTierFactory` and
/// `DeploymentLoader`, planned with `EditPlanner`, written by `EditExecutor` through the
/// writers of `AppTierWriterFactory`, then loaded again for the resolver's answer.
struct EditHarness {
    let deployment: Deployment
    var context: LookupContext = .server
    /// The executor's log, for this test only.
    let log = OperationLog()

    func load() async -> DeploymentState {
        await DeploymentLoader(factory: AppTierFactory()).loadAll(deployment, context: context)
    }

    func writers() -> [TierWriterSlot] {
        AppTierWriterFactory().makeWriters(for: deployment, context: context)
    }

    func writer(_ tier: TierID) throws -> any TierWriter {
        try #require(writers().first { $0.tier == tier }?.writer, "no writer for \(tier)")
    }

    /// The plan for `change` into `tier` against the deployment as loaded now.
    func plan(_ change: TierChange, into tier: TierID) async -> (PlannedChange, [TierWriterSlot]) {
        let state = await load()
        let writers = writers()
        return (EditPlanner(state: state, writers: writers).plan(change, into: tier), writers)
    }

    /// Plans and applies `change` into `tier`.
    @discardableResult
    func apply(_ change: TierChange, into tier: TierID) async -> EditExecutor.Outcome {
        let (planned, writers) = await plan(change, into: tier)
        return await EditExecutor(writers: writers, log: log).apply(planned)
    }

    /// What the resolver answers for `key` after loading the deployment again.
    func resolve(_ key: SecretKey) async -> Resolution {
        await load().resolve(key)
    }

    /// Every log entry that mentions `secret` anywhere: the executor's and the session's.
    func leaks(_ secret: String) -> [OperationLog.Entry] {
        (log.entries + OperationLog.session.entries).filter {
            $0.target.contains(secret) || $0.name.contains(secret) || $0.result.contains(secret)
        }
    }
}

/// The round trip every writable tier must pass: create, update and delete a variable and a
/// connection, each checked by loading the deployment again and asking the resolver.
enum EditScenario {
    /// `deletes: false` only where the service's test double cannot delete yet.
    static func roundTrip(_ harness: EditHarness, tier: TierID, form: ConnectionForm, idPrefix: String = "",
                          deletes: Bool = true) async throws {
        let secret = "s3cr3t-\(UUID().uuidString.prefix(6))"
        let variable = SecretKey.variable("\(idPrefix)region")
        let connection = SecretKey.connection("\(idPrefix)warehouse")

        let created = await harness.apply(.set(variable, .variable("eu-\(secret)", description: nil)), into: tier)
        #expect(created.error == nil, "\(created.error?.message ?? "")")
        #expect(created.receipt?.created == true)
        var resolution = await harness.resolve(variable)
        #expect(resolution.winner == tier)
        #expect(resolution.value == .variable("eu-\(secret)"))

        let updated = await harness.apply(.set(variable, .variable("us-\(secret)", description: nil)), into: tier)
        #expect(updated.error == nil, "\(updated.error?.message ?? "")")
        #expect(updated.receipt?.created == false)
        resolution = await harness.resolve(variable)
        #expect(resolution.value == .variable("us-\(secret)"))

        let first = Connection(connType: "postgres", host: "db.internal", login: "app", password: "pw/\(secret)@:",
                               schema: "analytics", port: 5432, extra: #"{"sslmode": "require"}"#)
        let made = await harness.apply(.set(connection, .connection(first), form: form), into: tier)
        #expect(made.error == nil, "\(made.error?.message ?? "")")
        resolution = await harness.resolve(connection)
        #expect(resolution.winner == tier)
        expectSame(resolution.value, first)

        var second = first
        second.host = "db2.internal"
        second.password = "other-\(secret)"
        let changed = await harness.apply(.set(connection, .connection(second), form: form), into: tier)
        #expect(changed.error == nil, "\(changed.error?.message ?? "")")
        resolution = await harness.resolve(connection)
        expectSame(resolution.value, second)

        for key in deletes ? [variable, connection] : [] {
            let deleted = await harness.apply(.delete(key), into: tier)
            #expect(deleted.error == nil, "\(deleted.error?.message ?? "")")
            let deletedOK = deleted.succeeded
            #expect(deletedOK)
            let after = await harness.resolve(key)
            #expect(after.winner == nil)
            #expect(after.tiers.first { $0.tier == tier }?.state == .absent)
        }
        #expect(harness.leaks(secret).isEmpty, "the operations log holds a value")
        #expect(harness.log.entries.count == (deletes ? 6 : 4))
    }

    /// A change made by someone else between Strata's read and its write is a conflict, and
    /// the other value survives. `other` writes behind Strata's back.
    static func concurrentChange(_ harness: EditHarness, tier: TierID, idPrefix: String = "",
                                 other: (any TierWriter, SecretKey, String) async throws -> Void) async throws {
        let key = SecretKey.variable("\(idPrefix)contested")
        let setUp = await harness.apply(.set(key, .variable("mine", description: nil)), into: tier)
        #expect(setUp.error == nil, "\(setUp.error?.message ?? "")")

        let (planned, writers) = await harness.plan(.set(key, .variable("ours", description: nil)), into: tier)
        #expect(planned.willWrite)
        let writer = try harness.writer(tier)
        try await other(writer, key, "theirs")
        let outcome = await EditExecutor(writers: writers, log: harness.log).apply(planned)
        #expect(outcome.error?.kind == .conflict)
        #expect(try await writer.read(key) == .present(.variable("theirs")))
        #expect(await harness.resolve(key).value == .variable("theirs"))

        // A delete planned before someone changed the value is refused too.
        let (deletion, _) = await harness.plan(.delete(key), into: tier)
        try await other(writer, key, "theirs again")
        let refused = await EditExecutor(writers: writers, log: harness.log).apply(deletion)
        #expect(refused.error?.kind == .conflict)
        #expect(try await writer.read(key) == .present(.variable("theirs again")))

        // A create planned while the key was absent loses against someone who created it first.
        let fresh = SecretKey.variable("\(idPrefix)raced")
        let (creation, _) = await harness.plan(.set(fresh, .variable("ours", description: nil)), into: tier)
        #expect(creation.base == .absent)
        try await other(writer, fresh, "first")
        let lost = await EditExecutor(writers: writers, log: harness.log).apply(creation)
        #expect(lost.error?.kind == .conflict)
        #expect(try await writer.read(fresh) == .present(.variable("first")))
    }

    /// Writes `text` to `key` through `writer` from what is there now: another user's edit.
    static func writeBehindTheBack(_ writer: any TierWriter, _ key: SecretKey, _ text: String) async throws {
        let now = try await writer.read(key)
        _ = try await writer.apply(.set(key, .variable(text, description: nil)), expecting: now)
    }

    static func expectSame(_ value: TierValue?, _ expected: Connection, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .connection(let read)? = value else {
            Issue.record("no connection was resolved", sourceLocation: sourceLocation)
            return
        }
        #expect(read.connType == expected.connType, sourceLocation: sourceLocation)
        #expect(read.host == expected.host, sourceLocation: sourceLocation)
        #expect(read.login == expected.login, sourceLocation: sourceLocation)
        // Compared as booleans so a failure never prints the secret.
        let samePassword = read.password == expected.password
        #expect(samePassword, "the password read back differs", sourceLocation: sourceLocation)
        #expect(read.schema == expected.schema, sourceLocation: sourceLocation)
        #expect(read.port == expected.port, sourceLocation: sourceLocation)
        let sameExtra = read.extraJSON == expected.extraJSON
        #expect(sameExtra, "the extra read back differs", sourceLocation: sourceLocation)
    }
}
