import Foundation
import Engine
import RemoteSupport
@testable import VaultBackend

/// An OpenBao dev server started by scripts/services/openbao.sh, driven through its HTTP API
/// with the root token to set up mounts, policies and auth methods for a test.
struct OpenBao: Sendable {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    struct APIError: Error, CustomStringConvertible {
        var description: String
    }

    let address: String
    let rootToken: String

    static func environment(_ names: [String]) throws -> [String] {
        let env = ProcessInfo.processInfo.environment
        let values = names.map { env[$0] ?? "" }
        guard !values.contains(where: \.isEmpty) else {
            throw Missing(description: "OpenBao is not running: \(names.joined(separator: ", ")) must be set. Run scripts/test, "
                          + "which starts it, or `scripts/services/openbao.sh start && source /tmp/strata-services.env` "
                          + "before `swift test`.")
        }
        return values
    }

    /// The main server.
    static func main() throws -> OpenBao {
        let v = try environment(["STRATA_TEST_VAULT_ADDR", "STRATA_TEST_VAULT_TOKEN"])
        return OpenBao(address: v[0], rootToken: v[1])
    }

    /// The server the fault tests seal, and its unseal key.
    static func sealable() throws -> (OpenBao, unsealKey: String) {
        let v = try environment(["STRATA_TEST_VAULT_SEALABLE_ADDR", "STRATA_TEST_VAULT_SEALABLE_TOKEN",
                                 "STRATA_TEST_VAULT_SEALABLE_UNSEAL_KEY"])
        return (OpenBao(address: v[0], rootToken: v[1]), v[2])
    }

    /// The HTTPS server and the PEM file of the CA that signed its certificate.
    static func tls() throws -> (OpenBao, caFile: String) {
        let v = try environment(["STRATA_TEST_VAULT_TLS_ADDR", "STRATA_TEST_VAULT_TLS_TOKEN", "STRATA_TEST_VAULT_TLS_CA"])
        return (OpenBao(address: v[0], rootToken: v[1]), v[2])
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    // MARK: API

    /// Calls `/v1/<path>`; returns the status and the decoded JSON object (empty when none).
    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, token: String? = nil,
              namespace: String? = nil, caFile: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        let transport = try HTTPClientTransport.shared(tls: TLSSettings(caBundlePath: caFile))
        var headers: [(name: String, value: String)] = [("X-Vault-Token", token ?? rootToken)]
        if let namespace { headers.append(("X-Vault-Namespace", namespace)) }
        var bytes: [UInt8] = []
        if let body { bytes = Array(try JSONSerialization.data(withJSONObject: body)) }
        let response = try await transport.send(HTTPRequest(method: method, url: URL(string: "\(address)/v1/\(path)")!,
                                                            headers: headers, body: bytes))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    /// Like `call`, but a status outside 2xx is an error (with Vault's errors, never a body).
    @discardableResult
    func ok(_ method: String, _ path: String, _ body: [String: Any]? = nil, token: String? = nil,
            namespace: String? = nil) async throws -> [String: Any] {
        let reply = try await call(method, path, body, token: token, namespace: namespace)
        guard (200..<300).contains(reply.status) else {
            throw APIError(description: "\(method) \(path) → HTTP \(reply.status) \(reply.json["errors"] ?? "")")
        }
        return reply.json
    }

    func enableKV(_ mount: String, version: Int, namespace: String? = nil) async throws {
        try await ok("POST", "sys/mounts/\(mount)", ["type": "kv", "options": ["version": String(version)]], namespace: namespace)
    }

    func enableAuth(_ path: String, type: String, namespace: String? = nil) async throws {
        let reply = try await call("POST", "sys/auth/\(path)", ["type": type], namespace: namespace)
        let errors = "\(reply.json["errors"] ?? "")"
        guard (200..<300).contains(reply.status) || errors.contains("already in use") else {
            throw APIError(description: "enabling \(type) at \(path) → HTTP \(reply.status) \(errors)")
        }
    }

    /// Writes `data` at `<mount>/<path>` (KV v2 through `data/`).
    func put(_ mount: String, _ path: String, _ data: [String: Any], version: Int = 2, namespace: String? = nil) async throws {
        if version == 2 {
            try await ok("POST", "\(mount)/data/\(path)", ["data": data], namespace: namespace)
        } else {
            try await ok("POST", "\(mount)/\(path)", data, namespace: namespace)
        }
    }

    func policy(_ name: String, _ hcl: String) async throws {
        try await ok("PUT", "sys/policies/acl/\(name)", ["policy": hcl])
    }

    /// A token with `policies` (no default policy unless listed), valid for `ttl`.
    func token(policies: [String], ttl: String = "1h", noDefaultPolicy: Bool = false) async throws -> String {
        let json = try await ok("POST", "auth/token/create", ["policies": policies, "ttl": ttl, "no_default_policy": noDefaultPolicy])
        guard let auth = json["auth"] as? [String: Any], let token = auth["client_token"] as? String else {
            throw APIError(description: "auth/token/create returned no token")
        }
        return token
    }

    /// Creates an AppRole role at `mount` and returns its role id and a fresh secret id.
    func appRole(mount: String, role: String, settings: [String: Any]) async throws -> (roleID: String, secretID: String) {
        try await enableAuth(mount, type: "approle")
        try await ok("POST", "auth/\(mount)/role/\(role)", settings)
        let roleJSON = try await ok("GET", "auth/\(mount)/role/\(role)/role-id")
        let secretJSON = try await ok("POST", "auth/\(mount)/role/\(role)/secret-id", [:])
        guard let roleID = (roleJSON["data"] as? [String: Any])?["role_id"] as? String,
              let secretID = (secretJSON["data"] as? [String: Any])?["secret_id"] as? String else {
            throw APIError(description: "the AppRole \(role) returned no role_id / secret_id")
        }
        return (roleID, secretID)
    }
}

/// Builds deployments configured for Vault and sources from them.
enum VaultFixtures {
    static let backendClass = "airflow.providers.hashicorp.secrets.vault.VaultBackend"

    /// A deployment whose environment sets the Vault backend with `kwargs` (as JSON) and `env`.
    static func deployment(kwargs: [String: Any?], env: [String: String] = [:], version: AirflowVersion = .v3) throws
        -> (BackendConfiguration, Deployment) {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: kwargs.mapValues { $0 ?? NSNull() },
                                                               options: [.sortedKeys]), as: UTF8.self)
        var variables = env
        variables["AIRFLOW__SECRETS__BACKEND"] = backendClass
        variables["AIRFLOW__SECRETS__BACKEND_KWARGS"] = json
        let deployment = Deployment(name: "vault-test", airflowVersion: version, environment: DeploymentEnvironment(variables))
        guard let configuration = BackendConfiguration.read(from: deployment.environment, version: version).secrets else {
            throw OpenBao.APIError(description: "the backend configuration did not read")
        }
        return (configuration, deployment)
    }

    /// A source for `kwargs`, with the counting transport it sends through.
    static func source(kwargs: [String: Any?], env: [String: String] = [:], clock: any WallClock = SystemClock(),
                       pageSize: Int = 1000, concurrency: Int = 16, retry: RetryPolicy = .none,
                       dialect: ConnectionDialect = .core) throws -> (VaultTierSource, CountingTransport) {
        let (configuration, deployment) = try deployment(kwargs: kwargs, env: env)
        let box = TransportBox()
        let provider = VaultTierProvider(transport: { tls in
            let counting = CountingTransport(try HTTPClientTransport.shared(tls: tls))
            box.set(counting)
            return counting
        }, clock: clock, retry: retry, concurrency: concurrency, pageSize: pageSize)
        let source = try provider.makeVaultSource(configuration: configuration, deployment: deployment, dialect: dialect)
        return (source, box.get()!)
    }
}

/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class TransportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var transport: CountingTransport?
    func set(_ t: CountingTransport) { lock.withLock { transport = t } }
    func get() -> CountingTransport? { lock.withLock { transport } }
}

/// A clock the test moves forward.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    private var frozen: Date?
    func now() -> Date { lock.withLock { frozen ?? Date().addingTimeInterval(offset) } }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    /// Stops time at the current instant.
    func freeze() { lock.withLock { frozen = Date().addingTimeInterval(offset) } }
}

extension TierSnapshot {
    func record(_ kind: SecretKind, _ name: String) -> TierRecord? {
        records.first { $0.kind == kind && $0.name == name }
    }

    /// Every text a user could see: warnings, names and unreadable reasons.
    var visibleText: String {
        var parts = warnings
        for record in records {
            parts.append(record.name)
            if case .unreadable(let reason) = record.state { parts.append(reason) }
            parts.append(contentsOf: record.metadata.values)
        }
        return parts.joined(separator: "\n")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Runs `body` and returns the error it threw, if any.
func thrownError(_ body: () async throws -> Void) async -> (any Error)? {
    do { try await body(); return nil } catch { return error }
}
