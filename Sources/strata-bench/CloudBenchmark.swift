import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Engine
import RemoteSupport
import CloudBackends

/// Loads 1,000 secrets from each cloud test double (GCP Secret Manager, Azure Key Vault) on
/// loopback through `CloudTierProvider`, printing the time and the requests each load took.
/// Goal: under 2 s per service. Needs scripts/services/cloud-doubles.sh running (its exports).
func runCloudBenchmark() async throws {
    let env = ProcessInfo.processInfo.environment
    guard let dir = env["STRATA_CLOUD_DOUBLES_DIR"], let gcpURL = env["STRATA_GCP_DOUBLE_URL"],
          let azureURL = env["STRATA_AZURE_DOUBLE_URL"], let caFile = env["STRATA_AZURE_DOUBLE_CA_FILE"] else {
        throw CloudBenchmarkError("the cloud doubles are not running: start scripts/services/cloud-doubles.sh and source $STRATA_SERVICES_ENV")
    }
    let gcp = try cloudBenchDetails(dir, "gcp.json"), azure = try cloudBenchDetails(dir, "azure.json")
    var proxies: [LatencyProxy] = []
    defer { proxies.removeAll() }
    let gcpReadURL = try LatencyProxy.address(for: gcpURL, label: "GCP", keepAlive: &proxies)
    // Key Vault's nextLinks name the vault's own address, which a TCP proxy in front of the
    // double does not change, so Azure's round trip is added per request in the transport.
    let azureReadURL = azureURL
    let azureDelay = LatencyProxy.configuredRoundTrip
    if let azureDelay { print("  Azure: each request waits \(Int(azureDelay)) ms before it is sent (connection set-up not delayed)") }
    let count = 1000
    let run = UUID().uuidString.prefix(8).lowercased()
    var secrets: [String: String] = [:]
    for index in 0..<count {
        if index % 2 == 0 {
            secrets["airflow-variables-bench-\(index)"] = "value-\(index)"
        } else {
            secrets["airflow-connections-bench-\(index)"] = "postgres://user:pw@db\(index).example:5432/app"
        }
    }

    // GCP: the Astro guide's gcp_keyfile_dict setup.
    let project = "bench-\(run)"
    _ = try await cloudBenchPost(gcpURL + "/__strata/seed", ["project": project, "secrets": secrets])
    let key = try String(contentsOfFile: gcp["service_account_key"] as? String ?? "", encoding: .utf8)
    let gcpDeployment = Deployment(name: "bench-gcp", environment: DeploymentEnvironment([
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": try cloudBenchJSON(["connections_prefix": "airflow-connections",
                                                                "variables_prefix": "airflow-variables",
                                                                "gcp_keyfile_dict": key, "project_id": project]),
        "STRATA_GCP_SECRET_MANAGER_ENDPOINT": gcpReadURL,
    ]))
    try await cloudBenchLoad("GCP Secret Manager", gcpDeployment, expected: count)

    // Azure: the guide's client-secret setup, HTTPS with the double's private CA.
    let vault = "bench-\(run)"
    _ = try await cloudBenchPost((azure["control_url"] as? String ?? "") + "/__strata/seed", ["vault": vault, "secrets": secrets])
    let azureDeployment = Deployment(name: "bench-azure", environment: DeploymentEnvironment([
        "AZURE_CLIENT_ID": azure["client_id"] as? String ?? "", "AZURE_TENANT_ID": azure["tenant_id"] as? String ?? "",
        "AZURE_CLIENT_SECRET": azure["client_secret"] as? String ?? "", "AZURE_AUTHORITY_HOST": azureReadURL,
        "REQUESTS_CA_BUNDLE": caFile,
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": try cloudBenchJSON(["connections_prefix": "airflow-connections",
                                                                "variables_prefix": "airflow-variables",
                                                                "vault_url": azureReadURL + "/vaults/" + vault,
                                                                "verify_challenge_resource": false]),
    ]))
    try await cloudBenchLoad("Azure Key Vault", azureDeployment, expected: count, delayMilliseconds: azureDelay)
}

private func cloudBenchLoad(_ label: String, _ deployment: Deployment, expected: Int,
                            delayMilliseconds: Double? = nil) async throws {
    guard let configuration = BackendConfiguration.read(from: deployment.environment, version: .v3).secrets else {
        throw CloudBenchmarkError("\(label): no backend configured")
    }
    let counter = RequestLedger()
    let provider = CloudTierProvider(transport: { ca in
        let transport = try CloudTierProvider().defaultTransport(caBundlePath: ca)
        return CountingTransport(delayMilliseconds.map { DelayingTransport(transport, milliseconds: $0) } ?? transport,
                                 countingInto: counter)
    })
    let source = try provider.makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
    for pass in ["cold (token + connections)", "warm"] {
        counter.reset()
        let start = ContinuousClock.now
        let snapshot = try await source.load()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let verdict = seconds < 2 ? "ok" : "SLOW (goal < 2 s)"
        print(String(format: "  %@ %@: %d secrets in %.3f s, %d requests — %@", label, pass, snapshot.records.count, seconds,
                     counter.count, verdict))
        if snapshot.records.count != expected {
            throw CloudBenchmarkError("\(label): loaded \(snapshot.records.count) records, expected \(expected)")
        }
    }
}

private func cloudBenchDetails(_ dir: String, _ file: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(file))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw CloudBenchmarkError("\(dir)/\(file) is not a JSON object")
    }
    return object
}

private func cloudBenchJSON(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

private func cloudBenchPost(_ url: String, _ body: [String: Any]) async throws -> Data {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = try JSONSerialization.data(withJSONObject: body)
    let (data, response) = try await URLSession.shared.data(for: request)
    guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw CloudBenchmarkError("seeding \(url) failed") }
    return data
}

private struct CloudBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits a fixed time before passing each request on: a round trip added per request.
private struct DelayingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let milliseconds: Double

    init(_ inner: any HTTPTransport, milliseconds: Double) {
        self.inner = inner
        self.milliseconds = milliseconds
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await Task.sleep(for: .microseconds(Int(milliseconds * 1000)))
        return try await inner.send(request)
    }
}
