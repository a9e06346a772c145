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
        lock.withLock { entries.append(Entry(method: request.method, url: request.url, operation: operation)) }
        return try await inner.send(request)
    }

    /// Requests sent so far.
    public var count: Int { lock.withLock { entries.count } }

    /// Every request sent so far, in order.
    public var requests: [Entry] { lock.withLock { entries } }

    /// How many requests named each operation.
    public var countsByOperation: [String: Int] {
        lock.withLock { entries.reduce(into: [:]) { $0[$1.operation ?? "-", default: 0] += 1 } }
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
