import AWSBackends
import Backends
import Editing
import Engine
import Foundation
import GRDB
import Metastore
import RemoteSupport
import VaultBackend

/// Copies 1,000 connections from a SQLite metastore into OpenBao (KV v2) and into Secrets
/// Manager on moto with `strata copy`'s engine — plan, guarded writes with read-back, the
/// deployment read again and every key verified — printing the time and the requests against
/// the floor (one write per key). Goal: under 3 s each. STRATA_BENCH_LATENCY_MS adds a round
/// trip through a proxy, as for the load benchmarks.
func runMoveBenchmark() async throws {
    let env = ProcessInfo.processInfo.environment
    let count = 1000
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-move-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("airflow.sqlite").path
    let queue = try DatabaseQueue(path: database)
    try await queue.write { db in
        try db.execute(sql: MetastoreBenchmarkData.ddl(serial: "INTEGER"))
        let insert = try db.makeStatement(sql: "INSERT INTO connection (conn_id, conn_type, host, login, password, port, extra, is_encrypted, is_extra_encrypted) VALUES (?, 'postgres', ?, 'etl', ?, 5432, ?, 0, 0)")
        for index in 0..<count {
            try insert.execute(arguments: ["move_conn_\(index)", "db\(index).example", "p@ss-\(index)",
                                           #"{"sslmode": "require", "index": \#(index)}"#])
        }
    }
    var proxies: [LatencyProxy] = []
    defer { proxies.removeAll() }

    if let address = env["STRATA_TEST_VAULT_ADDR"], let token = env["STRATA_TEST_VAULT_TOKEN"] {
        let mount = "move-\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try HTTPClientTransport.shared(log: nil)
        let response = try await admin.send(HTTPRequest(method: "POST", url: URL(string: "\(address)/v1/sys/mounts/\(mount)")!,
                                                        headers: [("X-Vault-Token", token)],
                                                        body: Array(#"{"type":"kv","options":{"version":"2"}}"#.utf8)))
        guard (200..<300).contains(response.status) else { throw BenchError("OpenBao refused the mount (HTTP \(response.status))") }
        let url = try LatencyProxy.address(for: address, label: "vault", keepAlive: &proxies)
        let deployment = Deployment(name: "move-vault", airflowVersion: .v3, environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"url": "\#(url)", "token": "\#(token)", "mount_point": "\#(mount)"}"#,
        ]), metastoreURL: "sqlite://" + database)
        try await measureMove("OpenBao (KV v2)", deployment: deployment, count: count) { configuration, ledger in
            try VaultTierProvider(transport: { tls in CountingTransport(try HTTPClientTransport.shared(tls: tls, log: nil), countingInto: ledger) })
                .makeVaultSource(configuration: configuration, deployment: deployment)
        }
    } else {
        print("move: OpenBao skipped — set STRATA_TEST_VAULT_ADDR and STRATA_TEST_VAULT_TOKEN (scripts/services/openbao.sh start)")
    }

    if let moto = env["STRATA_TEST_MOTO_URL"] {
        let prefix = "move\(UUID().uuidString.prefix(8).lowercased())"
        let url = try LatencyProxy.address(for: moto, label: "moto", keepAlive: &proxies)
        let deployment = Deployment(name: "move-sm", airflowVersion: .v3, environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "\#(prefix)/connections", "variables_prefix": "\#(prefix)/variables"}"#,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": env["STRATA_TEST_MOTO_ACCESS_KEY_ID"] ?? "testing",
            "AWS_SECRET_ACCESS_KEY": env["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"] ?? "testing",
            "AWS_ENDPOINT_URL": url,
        ]), metastoreURL: "sqlite://" + database)
        try await measureMove("Secrets Manager (moto)", deployment: deployment, count: count) { configuration, ledger in
            try AWSTierProvider(transport: { _ in CountingTransport(try HTTPClientTransport.shared(log: nil), countingInto: ledger) }, concurrency: 8)
                .makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        }
    } else {
        print("move: Secrets Manager skipped — set STRATA_TEST_MOTO_URL (scripts/services/moto.sh start)")
    }
}

/// A tier factory over the benchmark's own sources.
private struct MoveTiers: TierFactory {
    var slots: [TierSlot]
    func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] { slots }
}

private func measureMove(_ label: String, deployment: Deployment, count: Int,
                         backend: (BackendConfiguration, RequestLedger) throws -> any TierSource) async throws {
    guard let configuration = deployment.backendSettings.secrets else { throw BenchError("no backend configured") }
    let ledger = RequestLedger()
    let tiers = MoveTiers(slots: [TierSlot(source: try backend(configuration, ledger)), TierSlot(source: try MetastoreTier(deployment: deployment))])
    let loader = DeploymentLoader(factory: tiers)
    let writerFactory = AppTierWriterFactory()
    let writers = tiers.slots.map { writerFactory.writerSlot(for: $0, deployment: deployment, context: .server) }
    let clock = ContinuousClock()

    let loadStart = clock.now
    let state = await loader.loadAll(deployment, context: .server)
    let loaded = clock.now - loadStart
    let before = ledger.count

    let start = clock.now
    let planner = CopyPlanner(target: state, targetWriters: writers, targetTier: .backend)
    let plan = planner.plan(.fromTier(.metastore, of: state), sourceLabel: "metastore", policy: .fail, move: false)
    let outcomes = await CopyExecutor(targetWriters: writers, log: OperationLog(), verifiesAfterwards: true).apply(plan)
    let writtenAt = clock.now
    let afterWrites = ledger.count
    let reloaded = await loader.loadAll(deployment, context: .server)
    let reloadedAt = clock.now
    let verified = planner.verify(outcomes, against: reloaded)
    let elapsed = clock.now - start

    let good = verified.filter(\.succeeded).count
    let seconds = elapsed.seconds
    let writes = ledger.requests[before..<afterWrites].filter { entry in
        if let operation = entry.operation {
            return ["CreateSecret", "PutSecretValue", "UpdateSecret"].contains { operation.hasSuffix($0) }
        }
        return entry.method == "POST" || entry.method == "PUT"
    }.count
    print(String(format: "move: %@ — %d connections copied and verified (%d of %d) in %.3f s (goal < 3 s: %@); writes %.3f s, re-read %.3f s, check %.3f s; initial load %.3f s",
                 label, good, good, count, seconds, seconds < 3 ? "met" : "MISSED", (writtenAt - start).seconds,
                 (reloadedAt - writtenAt).seconds, (clock.now - reloadedAt).seconds, loaded.seconds))
    let extra = afterWrites - before - writes
    print("      requests: \(afterWrites - before) to write (\(writes) writes, floor \(count)"
          + (extra > 0 ? "; \(extra) check-and-set reads and read-backs" : "") + "), \(ledger.count - afterWrites) to read the deployment again")
    if tiers.slots.first?.source is SecretsManagerTierSource, let writer = writers.first?.writer {
        // What the server itself needs for the floor's requests (one CreateSecret each, sent by
        // the same writer with nothing around it), so the figure above can be read against the
        // test double's own speed: moto is a single Python process.
        let floorStart = clock.now
        let run = UUID().uuidString.prefix(8).lowercased()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let key = SecretKey(.connection, "floor_\(run)_\(next)")
                let value = Connection(connType: "postgres", host: "db\(next).example", login: "etl", password: "p@ss-\(next)", port: 5432)
                next += 1
                group.addTask {
                    _ = try await writer.apply(TierChange(key: key, action: .set(.connection(value), form: .uri), verification: .byCaller),
                                               expecting: .absent)
                }
            }
            for _ in 0..<16 { add() }
            while try await group.next() != nil { if next < count { add() } }
        }
        print(String(format: "      server floor: %d bare CreateSecret calls, 16 at a time, take %.3f s by themselves on this server",
                     count, (clock.now - floorStart).seconds))
    }
    guard good == count else {
        let failure = verified.first { !$0.succeeded }
        throw BenchError("\(count - good) keys not copied; first: \(failure?.error?.message ?? failure?.verificationProblem ?? "?")")
    }
}

private extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
