import Foundation

/// Reads a `Retry-After` header as RFC 9110 §10.2.3 defines it: delta-seconds (digits only)
/// or an HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms). Anything else —
/// `1e300`, `inf`, `-5`, `1.5`, garbage — is ignored, as the RFC allows. The result never
/// exceeds `ceiling`, so no later arithmetic on it can overflow.
public enum RetryAfter {
    /// The longest wait ever returned (a day); longer asks are capped to it, and callers give
    /// up on waits beyond their own limit anyway.
    public static let ceiling: Duration = .seconds(86_400)

    /// The wait `header` asks for, relative to `now`, or `nil` when it is absent or not valid.
    public static func parse(_ header: String?, now: Date) -> Duration? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ (48...57).contains($0) }) {
            // Leading zeros and any number of digits are valid; past the ceiling all are equal.
            let digits = text.drop { $0 == "0" }
            guard digits.count <= 6, let seconds = Int64(digits.isEmpty ? "0" : String(digits)) else { return ceiling }
            return min(.seconds(seconds), ceiling)
        }
        guard let date = HTTPDate.parse(text, now: now) else { return nil }
        let interval = date.timeIntervalSince(now)
        guard interval.isFinite else { return nil }
        let bounded = min(max(0, interval), Double(ceiling.components.seconds))
        return .milliseconds(Int64((bounded * 1000).rounded()))
    }
}
