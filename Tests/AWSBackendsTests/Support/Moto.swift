import Foundation
import PythonCompat
import Testing
import Engine
import TestSupport
import RemoteSupport
@testable import AWSBackends

/// The moto server scripts/services/moto.sh started, with the keys of its allow-all IAM user.
/// Seeds data through moto's own AWS APIs, signed with Strata's SigV4 (moto checks signatures).
struct Moto: Sendable {
    let url: URL
    let admin: AWSCredentials
    let transport: HTTPClientTransport
    static let region = "us-east-1"

    static func connect() throws -> Moto {
        let env = ProcessInfo.processInfo.environment
        guard let text = env["STRATA_TEST_MOTO_URL"], let url = URL(string: text),
              let key = env["STRATA_TEST_MOTO_ACCESS_KEY_ID"], let secret = env["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"] else {
            throw MotoMissing()
        }
        return Moto(url: url, admin: AWSCredentials(accessKeyID: key, secretAccessKey: secret, source: "test admin"),
                    transport: try HTTPClientTransport.shared())
    }

    struct MotoMissing: Error, CustomStringConvertible {
        var description: String {
            "STRATA_TEST_MOTO_URL / STRATA_TEST_MOTO_ACCESS_KEY_ID / STRATA_TEST_MOTO_SECRET_ACCESS_KEY are not set: "
                + "run scripts/test, which starts moto (or `scripts/services/moto.sh start` and source $STRATA_SERVICES_ENV)."
        }
    }

    /// A name no other test uses, so tests share one server without seeing each other's data.
    static func unique(_ label: String) -> String {
        "\(label)\(UUID().uuidString.prefix(8).lowercased())"
    }

    func client(_ service: AWSService, credentials: AWSCredentials? = nil) -> AWSJSONClient {
        let patient = PatientTransport(inner: transport)
        return AWSJSONClient(service: service, endpoint: url, region: Self.region, transport: patient,
                      credentials: AWSCredentialSource(plan: .keys(credentials ?? admin), role: nil, transport: patient,
                                                       retry: .none, clock: SystemClock()),
                      retry: .none, clock: SystemClock())
    }

    // MARK: Seeding

    func createSecret(_ name: String, _ value: String) async throws {
        // moto 5's CreateSecret is not thread-safe: under concurrent creates it sometimes
        // answers 500 ("dictionary changed size during iteration"). Seeding retries that; the
        // tiers under test never see it.
        var attempt = 0
        while true {
            do {
                _ = try await client(.secretsManager).call("CreateSecret", JSONObject([("Name", .string(name)),
                                                                                       ("SecretString", .string(value))]))
                return
            } catch where "\(error)".contains("HTTP 500") && attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }

    func createBinarySecret(_ name: String) async throws {
        _ = try await client(.secretsManager).call("CreateSecret", JSONObject([("Name", .string(name)),
                                                                               ("SecretBinary", .string("AAEC"))]))
    }

    func putParameter(_ name: String, _ value: String, type: String = "String") async throws {
        _ = try await client(.ssm).call("PutParameter", JSONObject([("Name", .string(name)), ("Value", .string(value)),
                                                                    ("Type", .string(type)), ("Overwrite", .bool(true))]))
    }

    /// Creates many secrets with bounded concurrency.
    func createSecrets(_ items: [(String, String)]) async throws {
        let moto = self
        let failures = await mapConcurrently(items, limit: 8) { item -> String? in
            do { try await moto.createSecret(item.0, item.1); return nil } catch { return "\(item.0): \(error)" }
        }
        if let failure = failures.compactMap({ $0 }).first { throw TierError("seeding failed: \(failure)") }
    }

    // MARK: IAM (query protocol)

    @discardableResult
    func iam(_ action: String, _ parameters: [(String, String)]) async throws -> String {
        let body = Array(QueryEncoding.form([("Action", action), ("Version", "2010-05-08")] + parameters).utf8)
        var request = HTTPRequest(method: "POST", url: url, headers: [
            (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
        ], body: body)
        SigV4Signer(service: "iam", region: Self.region).sign(&request, credentials: admin, date: Date())
        let response = try await PatientTransport(inner: transport).send(request)
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.status == 200 else { throw TierError("IAM \(action) failed: HTTP \(response.status)") }
        return text
    }

    /// A new IAM user whose only permissions are `policy`'s statements; returns its keys.
    func user(allowing actions: [String], denying denied: [String] = []) async throws -> AWSCredentials {
        let name = Self.unique("user-")
        try await iam("CreateUser", [("UserName", name)])
        var statements: [[String: Any]] = [["Effect": "Allow", "Action": actions, "Resource": "*"]]
        if !denied.isEmpty { statements.append(["Effect": "Deny", "Action": denied, "Resource": "*"]) }
        try await iam("PutUserPolicy", [("UserName", name), ("PolicyName", "p"),
                                        ("PolicyDocument", try Self.json(["Version": "2012-10-17", "Statement": statements]))])
        let answer = try await iam("CreateAccessKey", [("UserName", name)])
        return AWSCredentials(accessKeyID: XMLFields.first("AccessKeyId", in: answer)!,
                              secretAccessKey: XMLFields.first("SecretAccessKey", in: answer)!, source: "test user \(name)")
    }

    /// A new IAM role with an allow policy for `actions`; returns its ARN.
    func role(allowing actions: [String]) async throws -> String {
        let name = Self.unique("role-")
        let trust = try Self.json(["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Principal": ["AWS": "*"], "Action": "sts:AssumeRole"]]])
        let answer = try await iam("CreateRole", [("RoleName", name), ("AssumeRolePolicyDocument", trust)])
        try await iam("PutRolePolicy", [("RoleName", name), ("PolicyName", "p"), ("PolicyDocument", try Self.json([
            "Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": actions, "Resource": "*"]]]))])
        return XMLFields.first("Arn", in: answer)!
    }

    static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    // MARK: Deployments

    /// A deployment whose environment configures `backendClass` with `kwargs` and the admin keys.
    func deployment(_ backendClass: String, kwargs: [String: Any], version: AirflowVersion = .v3,
                    extraEnvironment: [String: String] = [:], keys: AWSCredentials? = nil) throws -> Deployment {
        let keys = keys ?? admin
        var env: [String: String] = [
            "AIRFLOW__SECRETS__BACKEND": backendClass,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": try Self.json(kwargs),
            "AWS_DEFAULT_REGION": Self.region,
            "AWS_ACCESS_KEY_ID": keys.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": keys.secretAccessKey,
            "AWS_ENDPOINT_URL": url.absoluteString,
        ]
        env.merge(extraEnvironment) { $1 }
        var deployment = Deployment(name: "moto", airflowVersion: version, environment: DeploymentEnvironment(env))
        deployment.timeouts = .sharedTestServers
        return deployment
    }

    static let secretsManagerClass = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
    static let ssmClass = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
}

/// Builds tiers from deployments the way the app does.
enum AWSFixtures {
    static func configuration(_ deployment: Deployment) throws -> BackendConfiguration {
        try #require(deployment.backendSettings.secrets, "the deployment configures no backend")
    }

    static func provider(transport: (any HTTPTransport)? = nil, retry: RetryPolicy = .standard,
                         home: URL = URL(fileURLWithPath: "/nonexistent-home")) -> AWSTierProvider {
        if let transport {
            return AWSTierProvider(transport: { _ in transport }, retry: retry, homeDirectory: home)
        }
        return AWSTierProvider(retry: retry, homeDirectory: home)
    }

    static func secretsManager(_ deployment: Deployment, provider: AWSTierProvider = provider(),
                               dialect: ConnectionDialect = .core) throws -> SecretsManagerTierSource {
        try provider.makeSecretsManagerSource(configuration: try configuration(deployment), deployment: deployment,
                                              tier: .backend, dialect: dialect)
    }

    static func parameterStore(_ deployment: Deployment, provider: AWSTierProvider = provider(),
                               dialect: ConnectionDialect = .core) throws -> ParameterStoreTierSource {
        try provider.makeParameterStoreSource(configuration: try configuration(deployment), deployment: deployment,
                                              tier: .backend, dialect: dialect)
    }
}

extension TierSnapshot {
    func record(_ kind: SecretKind, _ name: String) -> TierRecord? {
        records.first { $0.kind == kind && $0.name == name }
    }
}

extension HTTPRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
