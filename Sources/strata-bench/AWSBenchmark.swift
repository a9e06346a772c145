import Foundation
import Engine
import RemoteSupport
import AWSBackends

/// Loads 1,000 Secrets Manager secrets and then 1,000 Parameter Store parameters (half
/// variables, half connections) from moto through `AWSTierProvider`, printing the time and the
/// HTTP requests each load took. Secrets Manager's goal: under 0.5 s; request floor: one
/// ListSecrets page per 100 secrets + one batch read per 20. `STRATA_BENCH_LATENCY_MS` reads
/// through a proxy adding that round trip.
/// Needs scripts/services/moto.sh running (STRATA_TEST_MOTO_ACCESS_KEY_ID / _SECRET_ACCESS_KEY).
/// moto is single-process Python and slows down as it fills up, so the load is also replayed
/// from the recorded answers to show Strata's own share of the time. Seeds region eu-west-2,
/// which the tests do not use.
func runAWSBenchmark(motoURL: String) async throws {
    let env = ProcessInfo.processInfo.environment
    guard let keyID = env["STRATA_TEST_MOTO_ACCESS_KEY_ID"], let secret = env["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"] else {
        throw TierError("moto's test keys are not set: start scripts/services/moto.sh and source $STRATA_SERVICES_ENV")
    }
    let count = 1000
    let run = "bench-" + UUID().uuidString.prefix(8).lowercased()
    var proxies: [LatencyProxy] = []
    defer { proxies.removeAll() }
    let readURL = try LatencyProxy.address(for: motoURL, label: "AWS", keepAlive: &proxies)
    func deployment(backend: String, kwargs: String, endpoint: String) -> Deployment {
        Deployment(name: "bench-aws", environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": backend,
            "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
            "AWS_DEFAULT_REGION": "eu-west-2",
            "AWS_ACCESS_KEY_ID": keyID,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_ENDPOINT_URL": endpoint,
        ]))
    }

    let secretsManager = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
    let smKwargs = #"{"connections_prefix": "\#(run)/connections", "variables_prefix": "\#(run)/variables"}"#
    try await seedAWS(deployment(backend: secretsManager, kwargs: smKwargs, endpoint: motoURL), count: count)
    let smFloor = 2 * ((count / 2 + 99) / 100) + (count + 19) / 20
    try await loadAWS("Secrets Manager", deployment(backend: secretsManager, kwargs: smKwargs, endpoint: readURL),
                      count: count, floor: smFloor, goal: 0.5)

    let parameterStore = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
    let ssmKwargs = #"{"connections_prefix": "/\#(run)/connections", "variables_prefix": "/\#(run)/variables"}"#
    try await seedAWS(deployment(backend: parameterStore, kwargs: ssmKwargs, endpoint: motoURL), count: count)
    // GetParametersByPath answers at most 10 parameters a page, one page after another per path.
    let ssmFloor = 2 * ((count / 2 + 9) / 10)
    try await loadAWS("Parameter Store", deployment(backend: parameterStore, kwargs: ssmKwargs, endpoint: readURL),
                      count: count, floor: ssmFloor, goal: nil)
}

/// Writes `count` secrets (half variables, half connection URIs) through Strata's own writer.
private func seedAWS(_ deployment: Deployment, count: Int) async throws {
    guard let configuration = deployment.backendSettings.secrets else { throw TierError("no backend configured") }
    let seedStart = ContinuousClock.now
    let writer = try AWSTierProvider().makeWriter(configuration: configuration, deployment: deployment)
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func add() {
            guard next < count else { return }
            let index = next
            next += 1
            group.addTask {
                let key: SecretKey = index % 2 == 0 ? .variable("v\(index)") : .connection("c\(index)")
                let value = index % 2 == 0 ? "value-\(index)" : "postgres://user:pw@db\(index).example:5432/app"
                _ = try await writer.write(value, for: key)
            }
        }
        for _ in 0..<16 { add() }
        while try await group.next() != nil { add() }
    }
    print("  seeded \(count) secrets in \(formatSeconds(ContinuousClock.now - seedStart))")
}

/// Loads the tier three times, printing the best time and the requests against their floor, then
/// replays the recorded answers to show Strata's own share of the time.
private func loadAWS(_ label: String, _ deployment: Deployment, count: Int, floor: Int, goal: Double?) async throws {
    guard let configuration = deployment.backendSettings.secrets else { throw TierError("no backend configured") }
    var best: Duration?
    var requests = 0, operations: [String: Int] = [:], loaded = 0
    let recorder = RecordingTransport(try HTTPClientTransport.shared())
    for _ in 0..<3 {
        let counting = CountingTransport(recorder)
        let provider = AWSTierProvider(transport: { _ in counting }, concurrency: 8)
        let source = try provider.makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        let start = ContinuousClock.now
        let snapshot = try await source.load()
        let elapsed = ContinuousClock.now - start
        if best == nil || elapsed < best! { best = elapsed }
        requests = counting.count
        operations = counting.countsByOperation
        loaded = snapshot.records.count
    }
    let perOperation = operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    let goalText = goal.map { String(format: "; goal < %.1f s", $0) } ?? ""
    print("  \(label): \(loaded) records in \(formatSeconds(best!)) (best of 3\(goalText)) — "
          + "\(requests) HTTP requests (floor \(floor): \(perOperation))")

    var replayBest: Duration?
    for _ in 0..<3 {
        let provider = AWSTierProvider(transport: { _ in recorder.replay }, concurrency: 8)
        let source = try provider.makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        let start = ContinuousClock.now
        let snapshot = try await source.load()
        let elapsed = ContinuousClock.now - start
        if replayBest == nil || elapsed < replayBest! { replayBest = elapsed }
        if snapshot.records.count != count { throw TierError("the replayed load gave \(snapshot.records.count) records") }
    }
    print("  of which Strata itself (signing, JSON, parsing \(count / 2) connections; answers replayed): "
          + "\(formatSeconds(replayBest!)); the rest is the server")
    if loaded != count { throw TierError("expected \(count) records, loaded \(loaded)") }
}

private func formatSeconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.3f s", Double(seconds) + Double(attoseconds) / 1e18)
}

/// Passes requests on and keeps each answer under its operation and body, for replay.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
private final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var answers: [String: HTTPResponse] = [:]

    init(_ inner: any HTTPTransport) { self.inner = inner }

    static func key(_ request: HTTPRequest) -> String {
        let target = request.headers.first { $0.name.lowercased() == "x-amz-target" }?.value ?? ""
        return target + "\n" + String(decoding: request.body, as: UTF8.self)
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await inner.send(request)
        lock.withLock { answers[Self.key(request)] = response }
        return response
    }

    /// A transport that answers from the recording without any network.
    var replay: any HTTPTransport { Replay(answers: lock.withLock { answers }) }

    struct Replay: HTTPTransport {
        let answers: [String: HTTPResponse]
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            guard let answer = answers[RecordingTransport.key(request)] else {
                throw TierError("the replay has no answer for \(RecordingTransport.key(request).prefix(60))")
            }
            return answer
        }
    }
}
