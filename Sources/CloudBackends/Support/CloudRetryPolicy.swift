import Foundation
import RemoteSupport

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

    /// `Retry-After` as RFC 9110 defines it (RemoteSupport's one parser).
    static func retryAfter(_ header: String?, now: Date) -> Duration? {
        RetryAfter.parse(header, now: now)
    }

    /// The same limits as RemoteSupport's policy, so cloud tiers retry as the others do.
    var policy: RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: maxDelay, jitter: false)
    }
}
