import Foundation
import Engine

/// When and how long to wait before trying a request again: bounded exponential backoff with
/// full jitter, honouring the service's `Retry-After`, for throttling (429), transient server
/// errors (500, 502, 503, 504) and dropped connections.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The first backoff ceiling; each retry doubles it.
    public var baseDelay: Duration
    /// The longest single wait. A longer `Retry-After` ends the retries (the caller reports it).
    public var maxDelay: Duration
    /// Whether waits are drawn at random below the ceiling ("full jitter"), so that many
    /// clients throttled together do not retry together. Tests turn it off.
    public var jitter: Bool

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100),
                maxDelay: Duration = .seconds(10), jitter: Bool = true) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// Four attempts, 100 ms doubling, at most 10 s per wait.
    public static let standard = RetryPolicy()
    /// One attempt: no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// HTTP statuses worth another attempt.
    public static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    public static func isRetryable(status: Int) -> Bool { retryableStatuses.contains(status) }

    /// The wait before attempt `attempt + 1` (attempts count from 1), or `nil` when there are
    /// no attempts left or the service asked for a longer wait than `maxDelay`.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter {
            return retryAfter <= maxDelay ? retryAfter : nil
        }
        let ceiling = min(baseDelay * (1 << min(attempt - 1, 20)), maxDelay)
        guard jitter else { return ceiling }
        let nanos = HTTPClientTransport.nanoseconds(ceiling)
        return .nanoseconds(Int64.random(in: (nanos / 2)...max(nanos / 2, nanos)))
    }

    /// The longest `Retry-After` read as given (a year); longer ones read as this.
    public static let longestRetryAfterSeconds: Double = 365 * 86_400

    /// `Retry-After` as delta-seconds or an HTTP date, relative to `now`.
    public static func retryAfter(_ header: String?, now: Date) -> Duration? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite {
            // Capped so that any number a server sends fits (it is far above every maxDelay).
            return .milliseconds(Int64(min(max(0, seconds), longestRetryAfterSeconds) * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    /// Sends the request `build` makes (afresh for every attempt, so signatures and tokens stay
    /// current), retrying retryable statuses, the responses `isRetryable` names (a service's
    /// own throttling error in a 400 body) and transient transport failures.
    /// Returns the last response whatever its status; throws the last transport failure.
    public func send(through transport: any HTTPTransport, clock: any WallClock = SystemClock(),
                     isRetryable: @Sendable (HTTPResponse) -> Bool = { RetryPolicy.isRetryable(status: $0.status) },
                     _ build: () async throws -> HTTPRequest) async throws -> RetriedResponse {
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let request = try await build()
            do {
                let response = try await transport.send(request)
                guard isRetryable(response) else { return RetriedResponse(response: response, attempts: attempt) }
                let asked = Self.retryAfter(response.header("Retry-After"), now: clock.now())
                guard let wait = delay(afterAttempt: attempt, retryAfter: asked) else {
                    return RetriedResponse(response: response, attempts: attempt)
                }
                try await Task.sleep(for: wait)
            } catch let failure as TransportFailure where failure.isTransient {
                guard let wait = delay(afterAttempt: attempt) else { throw failure }
                try await Task.sleep(for: wait)
            }
            attempt += 1
        }
    }
}

/// A response with the number of attempts it took.
public struct RetriedResponse: Sendable {
    public var response: HTTPResponse
    public var attempts: Int
}
