import Foundation
import Engine
import RemoteSupport
import AWSBackends

/// Loads 1,000 Secrets Manager secrets (500 variables, 500 connections) from moto on loopback
/// through `AWSTierProvider`, printing the time and the HTTP requests the load took. Goal:
/// under 0.5 s; request floor: one ListSecrets page per 100 secrets + one batch read per 20.
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
    let deployment = Deployment(name: "bench-aws", environment: DeploymentEnvironment([
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "\#(run)/connections", "variables_prefix": "\#(run)/variables"}"#,
        "AWS_DEFAULT_REGION": "eu-west-2",
        "AWS_ACCESS_KEY_ID": keyID,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_ENDPOINT_URL": motoURL,
    ]))
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
    let floor = 2 * ((count / 2 + 99) / 100) + (count + 19) / 20
    let perOperation = operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    print("  Secrets Manager: \(loaded) records in \(formatSeconds(best!)) (best of 3; goal < 0.5 s) — "
          + "\(requests) HTTP requests (floor \(floor): \(perOperation))")

    // The same load with moto's recorded answers served from memory: Strata's own time.
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
          + "\(formatSeconds(replayBest!)); the rest is moto")
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
