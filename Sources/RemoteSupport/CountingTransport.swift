import Foundation
import Engine

/// Wraps a transport and counts what goes through it, for benchmarks and tests. Records the
/// method, URL and API operation of each request — never headers or bodies, which hold secrets.
/// Several transports may count into one `RequestLedger` (a provider makes one per tier).
public final class CountingTransport: HTTPTransport, Sendable {
    /// One request as counted.
    public typealias Entry = RequestLedger.Entry

    private let inner: any HTTPTransport
    /// Where the requests are counted.
    public let ledger: RequestLedger

    public init(_ inner: any HTTPTransport, countingInto ledger: RequestLedger = RequestLedger()) {
        self.inner = inner
        self.ledger = ledger
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let operation = request.headers.first { $0.name.lowercased() == "x-amz-target" }?.value
            ?? Self.queryAction(request.body)
        let index = ledger.record(RequestLedger.Entry(method: request.method, url: request.url, operation: operation))
        let response = try await inner.send(request)
        ledger.answer(index, status: response.status, httpVersion: response.httpVersion)
        return response
    }

    /// Requests sent so far.
    public var count: Int { ledger.count }

    /// Every request sent so far, in order.
    public var requests: [Entry] { ledger.requests }

    /// How many requests named each operation.
    public var countsByOperation: [String: Int] { ledger.countsByOperation }

    /// How many requests named each operation and were answered 2xx.
    public var successfulCountsByOperation: [String: Int] { ledger.successfulCountsByOperation }

    public func reset() { ledger.reset() }

    /// `Action=AssumeRole&…` form bodies name their operation first.
    private static func queryAction(_ body: [UInt8]) -> String? {
        guard body.count < 4096, let text = String(validating: body, as: UTF8.self) else { return nil }
        for pair in text.split(separator: "&") where pair.hasPrefix("Action=") {
            return String(pair.dropFirst("Action=".count))
        }
        return nil
    }
}

/// The requests one or more `CountingTransport`s have sent, in order.
///
/// `@unchecked Sendable`: its one mutable state, `entries`, is only touched under `lock`.
public final class RequestLedger: @unchecked Sendable {
    /// One request as counted.
    public struct Entry: Sendable, Hashable {
        public var method: String
        public var url: URL
        /// The `X-Amz-Target` operation (`secretsmanager.ListSecrets`) or the query `Action`, if any.
        public var operation: String?
        /// The HTTP status of the answer; nil while it is awaited, or when none came.
        public var status: Int?
        /// The protocol of the answer ("HTTP/2.0"), when the transport reported it.
        public var httpVersion: String?
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    public init() {}

    func record(_ entry: Entry) -> Int {
        lock.withLock {
            entries.append(entry)
            return entries.count - 1
        }
    }

    func answer(_ index: Int, status: Int, httpVersion: String? = nil) {
        lock.withLock {
            guard index < entries.count else { return }
            entries[index].status = status
            entries[index].httpVersion = httpVersion
        }
    }

    /// Requests sent so far.
    public var count: Int { lock.withLock { entries.count } }

    /// Every request sent so far, in order.
    public var requests: [Entry] { lock.withLock { entries } }

    /// How many requests sent so far match `predicate`.
    public func count(where predicate: (Entry) -> Bool) -> Int {
        lock.withLock { entries.filter(predicate).count }
    }

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
}
