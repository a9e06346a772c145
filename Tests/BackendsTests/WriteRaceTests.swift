import Foundation
import Testing
import Editing
import Engine
import RemoteSupport
import AWSBackends
import VaultBackend
import CloudBackends
@testable import Backends

/// Another user's write landing exactly between a writer's check and its write (injected in
/// the transport, against the real servers): where the service has a check-and-set it
/// refuses the write; elsewhere the writer's version check reports the race as a conflict.
@Suite("Writes racing another writer")
struct WriteRaceTests {
    /// The writer of `deployment`'s backend over a transport that runs `before` first when `matches`.
    static func racingWriter(_ deployment: Deployment, when matches: @escaping @Sendable (HTTPRequest) -> Bool,
                             before: @escaping @Sendable () async throws -> Void) throws -> (any TierWriter, InterceptingTransport) {
        let configuration = try #require(BackendConfiguration.read(from: deployment.environment, version: deployment.airflowVersion).secrets)
        let made = Box()
        let wrap: @Sendable (any HTTPTransport) -> any HTTPTransport = { inner in
            let transport = InterceptingTransport(inner, when: matches, before: before)
            made.set(transport)
            return transport
        }
        let writer: any TierWriter
        switch configuration.family {
        case .secretsManager?, .ssmParameterStore?:
            writer = try AWSTierProvider(transport: { wrap(try HTTPClientTransport.shared(tls: $0)) })
                .makeTierWriter(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        case .vault?:
            writer = try VaultTierProvider(transport: { wrap(try HTTPClientTransport.shared(tls: $0)) })
                .makeTierWriter(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        default:
            writer = try CloudTierProvider(transport: { wrap(try CloudTierProvider().defaultTransport(caBundlePath: $0)) })
                .makeTierWriter(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        }
        return (writer, try #require(made.get()))
    }

    static func variable(_ text: String) -> TierChange.Action { .set(.variable(text, description: nil), form: .uri) }

    @Test func vaultRefusesTheWriteWithItsCheckAndSet() async throws {
        let (deployment, _) = try await TestServices.vaultDeployment(kvVersion: 2)
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        _ = try await other.apply(.set(key, .variable("mine", description: nil)), expecting: .absent)
        let (writer, transport) = try Self.racingWriter(deployment, when: { $0.method == "POST" && $0.url.path.hasSuffix("/data/variables/raced") },
                                                        before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .present(.variable("mine"))) }
            throws: { ($0 as? EditError)?.kind == .conflict }
        #expect(transport.hasFired)
        #expect(try await other.read(key) == .present(.variable("theirs")))
    }

    @Test func parameterStoreRefusesACreateSomeoneElseMadeFirst() async throws {
        let deployment = try TestServices.awsDeployment(backend: TestServices.parameterStoreClass, prefix: "/" + TestServices.unique("race-"))
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        let (writer, transport) = try Self.racingWriter(deployment, when: InterceptingTransport.awsTarget("AmazonSSM.PutParameter"),
                                                        before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .absent) }
            throws: { ($0 as? EditError)?.kind == .conflict }
        #expect(transport.hasFired)
        #expect(try await other.read(key) == .present(.variable("theirs")))
    }

    @Test func parameterStoreReportsAnOverwriteItCouldNotPrevent() async throws {
        let deployment = try TestServices.awsDeployment(backend: TestServices.parameterStoreClass, prefix: "/" + TestServices.unique("race-"))
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        _ = try await other.apply(.set(key, .variable("mine", description: nil)), expecting: .absent)
        let (writer, _) = try Self.racingWriter(deployment, when: InterceptingTransport.awsTarget("AmazonSSM.PutParameter"),
                                                before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .present(.variable("mine"))) }
            throws: { error in
                let edit = error as? EditError
                return edit?.kind == .conflict && edit?.message.contains("get-parameter-history") == true
            }
    }

    @Test func secretsManagerReportsAnOverwriteAndKeepsTheOtherValueAsPrevious() async throws {
        let deployment = try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: TestServices.unique("race-"))
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        _ = try await other.apply(.set(key, .variable("mine", description: nil)), expecting: .absent)
        let (writer, _) = try Self.racingWriter(deployment, when: InterceptingTransport.awsTarget("secretsmanager.PutSecretValue"),
                                                before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .present(.variable("mine"))) }
            throws: { error in
                let edit = error as? EditError
                return edit?.kind == .conflict && edit?.message.contains("AWSPREVIOUS") == true
            }
    }

    @Test func secretsManagerRefusesACreateSomeoneElseMadeFirst() async throws {
        let deployment = try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: TestServices.unique("race-"))
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        let (writer, _) = try Self.racingWriter(deployment, when: InterceptingTransport.awsTarget("secretsmanager.CreateSecret"),
                                                before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .absent) }
            throws: { ($0 as? EditError)?.kind == .conflict }
        #expect(try await other.read(key) == .present(.variable("theirs")))
    }

    @Test func secretManagerReportsAVersionAddedInBetween() async throws {
        let deployment = try TestServices.gcpDeployment(project: TestServices.unique("race-"))
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        _ = try await other.apply(.set(key, .variable("mine", description: nil)), expecting: .absent)
        let (writer, transport) = try Self.racingWriter(deployment, when: { $0.url.path.hasSuffix(":addVersion") },
                                                        before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .present(.variable("mine"))) }
            throws: { error in
                let edit = error as? EditError
                return edit?.kind == .conflict && edit?.message.contains("version 3") == true
            }
        #expect(transport.hasFired)
    }

    @Test func keyVaultReportsAWriteRightAfterItsOwn() async throws {
        let deployment = try TestServices.azureDeployment(vault: TestServices.unique("race-"))
        let key = SecretKey.variable("raced")
        let other = try EditHarness(deployment: deployment).writer(.backend)
        _ = try await other.apply(.set(key, .variable("mine", description: nil)), expecting: .absent)
        // The third request is the read-back after Strata's PUT (read, PUT, read back).
        let count = Counter()
        let (writer, transport) = try Self.racingWriter(deployment, when: { request in
            request.method == "GET" && request.url.path.contains("/secrets/") && count.next() == 2
        }, before: { try await EditScenario.writeBehindTheBack(other, key, "theirs") })
        await #expect { try await writer.apply(TierChange(key: key, action: Self.variable("ours")), expecting: .present(.variable("mine"))) }
            throws: { ($0 as? EditError)?.kind == .conflict }
        #expect(transport.hasFired)
        #expect(try await other.read(key) == .present(.variable("theirs")))
    }
}

/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var transport: InterceptingTransport?
    func set(_ value: InterceptingTransport) { lock.withLock { transport = value } }
    func get() -> InterceptingTransport? { lock.withLock { transport } }
}

/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// The count before this call.
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
