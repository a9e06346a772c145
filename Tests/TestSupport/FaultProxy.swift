import Foundation

/// testservers/faultproxy.py in front of one real server: one loopback port per fault, so
/// tests running in parallel pick theirs without sharing state. Started once per upstream
/// per test process; it exits when this process does (its stdin closes) or after 15 minutes.
///
/// `@unchecked Sendable`: a proxy's process and ports are set once in init; the registry of
/// running proxies is under a static lock.
public final class FaultProxy: @unchecked Sendable {
    /// The faults an HTTP proxy serves, besides `pass`.
    public enum Fault: String, Sendable, CaseIterable {
        case hang, stall, drip, reset
        case retry1e300 = "retry-1e300", retryInf = "retry-inf", retryNegative = "retry-neg"
        case retryGarbage = "retry-garbage", retryFuture = "retry-future"
        case malformed, html, huge, hugeChunked = "huge-chunked", redirect
        case plainForTLS = "plain-for-tls", tlsForPlain = "tls-for-plain"
    }

    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Port of each mode (`pass` and every fault's raw value).
    public let ports: [String: Int]
    private let process: Process
    private let stdin: Pipe

    private init(ports: [String: Int], process: Process, stdin: Pipe) {
        self.ports = ports
        self.process = process
        self.stdin = stdin
    }

    /// The port that answers with `fault`.
    public func port(_ fault: Fault) -> Int { ports[fault.rawValue] ?? 0 }

    /// `scheme://127.0.0.1:<port of fault>`.
    public func url(_ fault: Fault, scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port(fault))" }

    /// The port that relays to the upstream unchanged.
    public var passPort: Int { ports["pass"] ?? 0 }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var running: [String: Task<FaultProxy, any Error>] = [:]

    /// The proxy in front of `upstream` (`127.0.0.1:port`), started on first use. `raw` serves
    /// TCP faults (PostgreSQL); `tls` makes the answering faults speak TLS with that PEM pair.
    /// Starting it waits on a Dispatch thread, never on one of the few cooperative threads the
    /// other suites' deadlines run on.
    public static func shared(upstream: String, raw: Bool = false, tls: (cert: String, key: String)? = nil) async throws -> FaultProxy {
        let key = "\(upstream)|\(raw)|\(tls?.cert ?? "")"
        let tlsPair = tls.map { [$0.cert, $0.key] }
        let task: Task<FaultProxy, any Error> = lock.withLock {
            if let task = running[key] { return task }
            let task = Task {
                try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        continuation.resume(with: Result {
                            try start(upstream: upstream, raw: raw, tls: tlsPair.map { ($0[0], $0[1]) })
                        })
                    }
                }
            }
            running[key] = task
            return task
        }
        return try await task.value
    }

    private static func start(upstream: String, raw: Bool, tls: (cert: String, key: String)?) throws -> FaultProxy {
        let script = Fixtures.repositoryRoot.appendingPathComponent("testservers/faultproxy.py").path
        var arguments = [script, "--upstream", upstream, "--max-lifetime", "900"]
        if raw { arguments.append("--raw") }
        if let tls { arguments += ["--tls-cert", tls.cert, "--tls-key", tls.key] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is {"ports": {...}}; a proxy that cannot start closes stdout instead.
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
              let ports = object["ports"] as? [String: Int], !ports.isEmpty else {
            process.terminate()
            throw StartFailure(description: "testservers/faultproxy.py did not start (python3 with the standard library is needed)")
        }
        return FaultProxy(ports: ports, process: process, stdin: input)
    }
}

/// Every fault case of a suite, for its summary line: how many ran and the slowest.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
public final class FaultSuiteFigures: @unchecked Sendable {
    private let lock = NSLock()
    private var cases = 0
    private var worst: (seconds: Double, name: String) = (0, "")

    public init() {}

    public func record(_ name: String, seconds: Double) {
        lock.withLock {
            cases += 1
            if seconds > worst.seconds { worst = (seconds, name) }
        }
    }

    /// "fault suite: 59 cases, worst 2.31 s (vault/hang)".
    public var summary: String {
        lock.withLock { "\(cases) cases, worst \(String(format: "%.2f", worst.seconds)) s (\(worst.name))" }
    }
}
