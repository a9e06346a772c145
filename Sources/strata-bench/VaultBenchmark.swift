import Foundation
import Engine
import RemoteSupport
import VaultBackend

/// Loads 1,000 secrets (500 connections, 500 variables) from an OpenBao server on loopback
/// through `VaultTierProvider`, printing the time and the requests the load took.
/// Goal: under 1 s, with one LIST per folder and bounded concurrent reads.
/// `address`/`token`: STRATA_TEST_VAULT_ADDR and STRATA_TEST_VAULT_TOKEN from scripts/services/openbao.sh.
/// With `caBundle` (the TLS server, STRATA_TEST_VAULT_TLS_*) the load runs twice more: over
/// HTTP/2, which OpenBao offers by ALPN and Strata's client takes, and over HTTP/1.1 only.
func runVaultBenchmark(address: String, token: String, caBundle: String? = nil) async throws {
    let count = 1000
    let mount = "bench-\(UUID().uuidString.prefix(8).lowercased())"
    let tls = TLSSettings(caBundlePath: caBundle)
    let transport = try HTTPClientTransport.shared(tls: tls)
    @Sendable func admin(_ method: String, _ path: String, _ body: String) async throws {
        let request = HTTPRequest(method: method, url: URL(string: "\(address)/v1/\(path)")!,
                                  headers: [("X-Vault-Token", token), ("Content-Type", "application/json")],
                                  body: Array(body.utf8))
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw VaultBenchmarkError("\(method) \(path) answered HTTP \(response.status)")
        }
    }

    // Seeding is not timed.
    try await admin("POST", "sys/mounts/\(mount)", #"{"type":"kv","options":{"version":"2"}}"#)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<count {
            group.addTask {
                if index % 2 == 0 {
                    try await admin("POST", "\(mount)/data/variables/bench_\(index)", #"{"data":{"value":"value-\#(index)"}}"#)
                } else {
                    try await admin("POST", "\(mount)/data/connections/bench_\(index)",
                                    #"{"data":{"conn_uri":"postgres://user:pw@db\#(index).example:5432/app"}}"#)
                }
            }
            if index % 32 == 31 { try await group.waitForAll() }
        }
        try await group.waitForAll()
    }

    // STRATA_BENCH_LATENCY_MS puts a proxy adding that round-trip time between Strata and the
    // server: the figure users far from Vault see.
    var proxies: [LatencyProxy] = []
    let readAddress = try LatencyProxy.address(for: address, label: "vault", keepAlive: &proxies)
    defer { proxies.removeAll() }

    let verify = caBundle.map { #", "verify": "\#($0)""# } ?? ""
    let kwargs = #"{"url": "\#(readAddress)", "mount_point": "\#(mount)", "connections_path": "connections", "variables_path": "variables", "config_path": null\#(verify)}"#
    let environment = DeploymentEnvironment([
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
        "VAULT_TOKEN": token,
    ])
    let deployment = Deployment(name: "vault-bench", environment: environment)
    guard let configuration = BackendConfiguration.read(from: environment, version: .v3).secrets else {
        throw VaultBenchmarkError("the benchmark's backend configuration did not read")
    }

    if caBundle == nil {
        for run in 1...2 {
            try await measureVaultLoad("run \(run)", count: count, configuration: configuration, deployment: deployment) { tls in
                try HTTPClientTransport.shared(tls: tls)
            }
        }
    } else {
        // The app's client (HTTP/2 where offered), then one restricted to HTTP/1.1 with the
        // same pool size; each warms up once so that both figures are of a pool in use.
        for (label, http1Only) in [("HTTP/2 allowed", false), ("HTTP/1.1 only", true)] {
            let own = try HTTPClientTransport(tls: tls, connectionsPerHost: 128, http1Only: http1Only)
            for run in 1...2 {
                try await measureVaultLoad("\(label), run \(run)", count: count, configuration: configuration, deployment: deployment) { _ in own }
            }
            try await own.shutdown()
        }
    }
    try await admin("DELETE", "sys/mounts/\(mount)", "")
}

/// One timed load of the benchmark's mount through `transport`, printed with its requests and
/// the protocols they were answered over.
private func measureVaultLoad(_ label: String, count: Int, configuration: BackendConfiguration, deployment: Deployment,
                              transport: @escaping @Sendable (TLSSettings) throws -> any HTTPTransport) async throws {
    let box = CountingBox()
    let provider = VaultTierProvider(transport: { tls in
        let counting = CountingTransport(try transport(tls))
        box.transport = counting
        return counting
    })
    let source = try provider.makeVaultSource(configuration: configuration, deployment: deployment)
    let clock = ContinuousClock()
    let started = clock.now
    let snapshot = try await source.load()
    let elapsed = clock.now - started
    let requests = box.transport?.requests ?? []
    let lists = requests.filter { $0.method == "LIST" }.count
    let reads = requests.filter { $0.method == "GET" && $0.url.path.contains("/data/") }.count
    let versions = Dictionary(grouping: requests.compactMap(\.httpVersion), by: { $0 }).mapValues(\.count)
        .sorted { $0.key < $1.key }.map { "\($0.value) over \($0.key)" }.joined(separator: ", ")
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "vault: %@ loaded %d secrets in %.3f s (goal < 1 s: %@) · %d requests: %d LIST, %d reads, %d other · %@",
                 label, snapshot.records.count, seconds, seconds < 1 ? "met" : "MISSED",
                 requests.count, lists, reads, requests.count - lists - reads, versions))
    guard snapshot.records.count == count else {
        throw VaultBenchmarkError("expected \(count) records, loaded \(snapshot.records.count)")
    }
}

struct VaultBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
private final class CountingBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CountingTransport?
    var transport: CountingTransport? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
