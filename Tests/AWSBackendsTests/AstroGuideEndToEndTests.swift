import Foundation
import Testing
import Engine
import RemoteSupport
@testable import AWSBackends

/// The Astro guide's AWS set-ups, as a deployment's environment, through the public provider
/// API and the app's default transport, against moto.
@Suite("Astro guide AWS set-ups (moto)")
struct AstroGuideEndToEndTests {
    let moto: Moto
    let run = Moto.unique("t")

    init() throws { moto = try Moto.connect() }

    /// The guide's local `.env`: backend, kwargs, region and keys — plus AWS_ENDPOINT_URL to reach moto.
    func guideEnvironment(kwargs: String, keys: AWSCredentials) -> [String: String] {
        ["AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
         "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
         "AWS_DEFAULT_REGION": Moto.region,
         "AWS_ACCESS_KEY_ID": keys.accessKeyID,
         "AWS_SECRET_ACCESS_KEY": keys.secretAccessKey,
         "AWS_ENDPOINT_URL": moto.url.absoluteString]
    }

    @Test func theLocalEnvSetupYieldsTheGuidesNames() async throws {
        // The guide's prefixes are fixed, so this run's ids carry the run marker instead.
        try await moto.createSecret("airflow/variables/\(run)_var", "guide value")
        try await moto.createSecret("airflow/connections/\(run)_conn", "http://user:pw@example.com:8080/path")
        let env = guideEnvironment(kwargs: #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#,
                                   keys: moto.admin)
        let deployment = Deployment(name: "local", environment: DeploymentEnvironment(env))
        let configuration = try #require(deployment.backendSettings.secrets)
        #expect(configuration.family == .secretsManager)
        let source = try AWSTierProvider(homeDirectory: URL(fileURLWithPath: "/nonexistent-home"))
            .makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        #expect(source.descriptor.label == "AWS Secrets Manager")
        #expect(source.lookupName(for: .variable("\(run)_var")) == .name("airflow/variables/\(run)_var"))
        let snapshot = try await source.load()
        let variable = try #require(snapshot.record(.variable, "airflow/variables/\(run)_var"))
        #expect(variable.suggestedID == "\(run)_var")
        #expect(variable.state == .present(.variable("guide value")))
        let connection = try #require(snapshot.record(.connection, "airflow/connections/\(run)_conn"))
        guard case .present(.connection(let conn)) = connection.state else { Issue.record("not parsed"); return }
        #expect(conn.connType == "http" && conn.host == "example.com" && conn.port == 8080 && conn.login == "user")
    }

    @Test func theDeployedSetupAssumesTheRoleFromTheKwargs() async throws {
        try await moto.createSecret("airflow/variables/\(run)_role", "through the role")
        let role = try await moto.role(allowing: ["secretsmanager:*"])
        let base = try await moto.user(allowing: ["sts:AssumeRole"])
        let kwargs = #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables", "#
            + #""role_arn": "\#(role)", "region_name": "\#(Moto.region)"}"#
        let deployment = Deployment(name: "astro", environment: DeploymentEnvironment(guideEnvironment(kwargs: kwargs, keys: base)))
        let source = try AWSTierProvider(homeDirectory: URL(fileURLWithPath: "/nonexistent-home"))
            .makeSource(configuration: try #require(deployment.backendSettings.secrets), deployment: deployment,
                        tier: .backend, dialect: .core)
        #expect(source.descriptor.detail.contains("role \(role)"))
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "airflow/variables/\(run)_role")?.state == .present(.variable("through the role")))
    }

    @Test func theParameterStoreSetupYieldsLeadingSlashNames() async throws {
        try await moto.putParameter("/airflow/variables/\(run)_p", "param", type: "SecureString")
        var env = guideEnvironment(kwargs: #"{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}"#,
                                   keys: moto.admin)
        env["AIRFLOW__SECRETS__BACKEND"] = Moto.ssmClass
        let deployment = Deployment(name: "ssm", environment: DeploymentEnvironment(env))
        let source = try AWSTierProvider(homeDirectory: URL(fileURLWithPath: "/nonexistent-home"))
            .makeSource(configuration: try #require(deployment.backendSettings.secrets), deployment: deployment,
                        tier: .backend, dialect: .core)
        #expect(source.lookupName(for: .variable("\(run)_p")) == .name("/airflow/variables/\(run)_p"))
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "/airflow/variables/\(run)_p")?.state == .present(.variable("param")))
    }

    @Test func aSetupWithoutRegionFailsAtCreationWithWhatToSet() throws {
        var env = guideEnvironment(kwargs: "{}", keys: moto.admin)
        env["AWS_DEFAULT_REGION"] = nil
        let deployment = Deployment(name: "noregion", environment: DeploymentEnvironment(env))
        let error = #expect(throws: TierError.self) {
            _ = try AWSTierProvider(homeDirectory: URL(fileURLWithPath: "/nonexistent-home"))
                .makeSource(configuration: try #require(deployment.backendSettings.secrets), deployment: deployment,
                            tier: .backend, dialect: .core)
        }
        #expect(error?.message.contains("AWS_DEFAULT_REGION") == true)
    }
}
