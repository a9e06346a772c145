import Foundation
import Engine
import RemoteSupport
import VaultBackend

/// Loads 1,000 secrets (500 connections, 500 variables) from an OpenBao server on loopback
/// through `VaultTierProvider`, printing the time and the requests the load took.
/// Goal: under 1 s, with one LIST per folder and bounded concurrent reads.
/// `address`/`token`: STRATA_TEST_VAULT_ADDR and STRATA_TEST_VAULT_TOKEN from scripts/services/openbao.sh.
func runVaultBenchmark(address: String, token: String) async throws {
    let count = 1000
    let mount = "bench-\(UUID().uuidString.prefix(8).lowercased())"
    let transport = try HTTPClientTransport.shared()
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

    let kwargs = #"{"url": "\#(readAddress)", "mount_point": "\#(mount)", "connections_path": "connections", "variables_path": "variables", "config_path": null}"#
    let environment = DeploymentEnvironment([
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
        "VAULT_TOKEN": token,
    ])
    let deployment = Deployment(name: "vault-bench", environment: environment)
    guard let configuration = BackendConfiguration.read(from: environment, version: .v3).secrets else {
        throw VaultBenchmarkError("the benchmark's backend configuration did not read")
    }

    for run in 1...2 {
        let box = CountingBox()
        let provider = VaultTierProvider(transport: { tls in
            let counting = CountingTransport(try HTTPClientTransport.shared(tls: tls))
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
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "vault: run %d loaded %d secrets in %.3f s (goal < 1 s: %@) · %d requests: %d LIST, %d reads, %d other",
                     run, snapshot.records.count, seconds, seconds < 1 ? "met" : "MISSED",
                     requests.count, lists, reads, requests.count - lists - reads))
        guard snapshot.records.count == count else {
            throw VaultBenchmarkError("expected \(count) records, loaded \(snapshot.records.count)")
        }
    }
    try await admin("DELETE", "sys/mounts/\(mount)", "")
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
