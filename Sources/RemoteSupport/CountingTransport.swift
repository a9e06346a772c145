import Foundation
import Engine

/// Wraps a transport and counts what goes through it, for benchmarks and tests. Records the
/// method, URL and API operation of each request — never headers or bodies, which hold secrets.
public final class CountingTransport: HTTPTransport, @unchecked Sendable {
    /// One request as counted.
    public struct Entry: Sendable, Hashable {
        public var method: String
        public var url: URL
        /// The `X-Amz-Target` operation (`secretsmanager.ListSecrets`) or the query `Action`, if any.
        public var operation: String?
        /// The HTTP status of the answer; nil while it is awaited, or when none came.
        public var status: Int?
    }

    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var entries: [Entry] = []

    public init(_ inner: any HTTPTransport) {
        self.inner = inner
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let operation = request.headers.first { $0.name.lowercased() == "x-amz-target" }?.value
            ?? Self.queryAction(request.body)
        let index = lock.withLock {
            entries.append(Entry(method: request.method, url: request.url, operation: operation))
            return entries.count - 1
        }
        let response = try await inner.send(request)
        lock.withLock { if index < entries.count { entries[index].status = response.status } }
        return response
    }

    /// Requests sent so far.
    public var count: Int { lock.withLock { entries.count } }

    /// Every request sent so far, in order.
    public var requests: [Entry] { lock.withLock { entries } }

    /// How many requests named each operation.
    public var countsByOperation: [String: Int] {
        lock.withLock { entries.reduce(into: [:]) { $0[$1.operation ?? "-", default: 0] += 1 } }
    }

    /// How many requests named each operation and were answered 2xx: what a caller asked of
    /// the service, without the retries a flaky server (moto's transient 500s) caused.
    public var successfulCountsByOperation: [String: Int] {
        lock.withLock {
            entries.filter { ($0.status ?? 0) / 100 == 2 }.reduce(into: [:]) { $0[$1.operation ?? "-", default: 0] += 1 }
        }
    }

    public func reset() { lock.withLock { entries.removeAll() } }

    /// `Action=AssumeRole&…` form bodies name their operation first.
    private static func queryAction(_ body: [UInt8]) -> String? {
        guard body.count < 4096, let text = String(validating: body, as: UTF8.self) else { return nil }
        for pair in text.split(separator: "&") where pair.hasPrefix("Action=") {
            return String(pair.dropFirst("Action=".count))
        }
        return nil
    }
}
