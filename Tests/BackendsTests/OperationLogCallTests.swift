import Foundation
import Testing
import Engine
import RemoteSupport
@testable import Backends

/// Every request the app's transport sends is in the operations log: host, operation, status
/// or failure class, duration — never a value, header, token or query string.
@Suite("Remote calls in the operations log")
struct OperationLogCallTests {
    @Test func awsCallsAreLoggedByActionWithoutValues() async throws {
        let prefix = TestServices.unique("log-")
        let deployment = try TestServices.awsDeployment(backend: TestServices.secretsManagerClass, prefix: prefix)
        let secret = "log-secret-\(UUID().uuidString.prefix(6))"
        let harness = EditHarness(deployment: deployment)
        let before = OperationLog.session.totalCount
        let outcome = await harness.apply(.set(.variable("logged"), .variable(secret, description: nil)), into: .backend)
        #expect(outcome.succeeded)
        let moto = try #require(URL(string: ProcessInfo.processInfo.environment["STRATA_TEST_MOTO_URL"] ?? ""))
        let calls = OperationLog.session.entries.filter { $0.kind == .call && $0.target == moto.displayHost }
        #expect(OperationLog.session.totalCount > before)
        #expect(calls.contains { $0.name == "secretsmanager.CreateSecret" && $0.result == "HTTP 200" && $0.succeeded })
        #expect(calls.contains { $0.name == "secretsmanager.GetSecretValue" && $0.duration != nil })
        #expect(calls.contains { $0.name == "secretsmanager.ListSecrets" })
        #expect(harness.leaks(secret).isEmpty)
        #expect(harness.leaks(ProcessInfo.processInfo.environment["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"] ?? "-").isEmpty)
    }

    @Test func vaultCallsAreLoggedByPathWithoutQueryOrToken() async throws {
        let (deployment, mount) = try await TestServices.vaultDeployment()
        let harness = EditHarness(deployment: deployment)
        #expect(await harness.apply(.set(.variable("logged"), .variable("vault-value-xyz", description: nil)), into: .backend).succeeded)
        let names = OperationLog.session.entries.filter { $0.kind == .call }.map(\.name)
        #expect(names.contains("GET /v1/\(mount)/data/variables/logged"))
        #expect(names.contains("POST /v1/\(mount)/data/variables/logged"))
        // Listing sends ?limit=…; the log keeps the path only.
        #expect(names.contains { $0.hasPrefix("LIST /v1/\(mount)/") })
        #expect(!names.contains { $0.contains("?") || $0.contains("limit=") })
        #expect(harness.leaks("vault-value-xyz").isEmpty)
        #expect(harness.leaks(ProcessInfo.processInfo.environment["STRATA_TEST_VAULT_TOKEN"] ?? "-").isEmpty)
    }

    @Test func aFailedRequestIsLoggedWithTheFailuresClass() async throws {
        let log = OperationLog()
        let transport = try HTTPClientTransport(connectTimeout: .seconds(2), log: log)
        defer { Task { try? await transport.shutdown() } }
        // A loopback port nothing listens on: the connection is refused.
        let url = URL(string: "http://127.0.0.1:9/v1/secret/data/x?token=abc")!
        await #expect(throws: TransportFailure.self) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: url, headers: [("X-Vault-Token", "hunter2")]))
        }
        let entry = try #require(log.entries.last)
        #expect(entry.kind == .call)
        #expect(entry.target == "127.0.0.1:9")
        #expect(entry.name == "GET /v1/secret/data/x")
        #expect(entry.result == "unreachable")
        #expect(!entry.succeeded)
    }

    @Test func operationsAreNamedWithoutReadingValues() {
        let url = URL(string: "https://sts.amazonaws.com/?X-Amz-Credential=abc")!
        let form = HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                               body: Array("Version=2011-06-15&Action=AssumeRole&RoleSessionName=s".utf8))
        #expect(RemoteCallRecord.operation(of: form) == "AssumeRole")
        let json = HTTPRequest(method: "POST", url: url, headers: [("X-Amz-Target", "AmazonSSM.GetParameter")], body: Array(#"{"Name":"x"}"#.utf8))
        #expect(RemoteCallRecord.operation(of: json) == "AmazonSSM.GetParameter")
        let plain = HTTPRequest(method: "PUT", url: URL(string: "https://v.vault.azure.net/secrets/a-b/?api-version=7.4")!)
        #expect(RemoteCallRecord.operation(of: plain) == "PUT /secrets/a-b/")
        let entry = RemoteCallRecord.entry(for: plain, status: 403, duration: .milliseconds(5))
        #expect(entry.target == "v.vault.azure.net" && entry.result == "HTTP 403" && !entry.succeeded)
    }
}
