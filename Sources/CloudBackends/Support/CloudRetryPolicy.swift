import Foundation

/// When a request to a cloud service is tried again: throttling (429) and transient server
/// errors (500, 502, 503, 504) and transport failures, up to `maxAttempts`, waiting what the
/// service asks in `Retry-After` (capped) or an exponential backoff.
public struct CloudRetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    /// The longest wait Strata accepts; a longer `Retry-After` ends the retries with a message.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let standard = CloudRetryPolicy()

    static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// The delay before attempt `attempt + 1` (attempt counts from 1).
    func backoff(after attempt: Int) -> Duration {
        let factor = 1 << min(attempt - 1, 10)
        return min(baseDelay * factor, maxDelay)
    }

    /// `Retry-After` as seconds or an HTTP date, relative to `now`.
    static func retryAfter(_ header: String?, now: Date) -> Duration? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        // Capped at a year so that any number a server sends fits; "inf" and "nan" are no number of seconds.
        if let seconds = Double(header), seconds.isFinite {
            return .milliseconds(Int64(min(max(0, seconds), 365 * 86_400) * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}
