import Foundation
import Testing
import TestSupport
@testable import AWSBackends

/// Dates in the detail pane read exactly as `ISO8601DateFormatter` writes them, without
/// creating one per secret.
@Suite("ISO 8601 dates of listed secrets")
struct DateFormattingTests {
    @Test func matchesTheFoundationFormatterAcrossEraSecondsAndFractions() {
        let formatter = ISO8601DateFormatter()
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_700_000_000.999),
                             Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: -86_400 * 365.25 * 30),
                             Date(timeIntervalSince1970: 951_782_400), // 2000-02-29
                             Date(timeIntervalSince1970: 4_102_444_799.75), Date(timeIntervalSince1970: 59.9996),
                             Date(timeIntervalSince1970: 59.9994), Date(timeIntervalSince1970: -0.0004)]
        var generator = SeededGenerator()
        for _ in 0..<5000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(date.iso8601 == formatter.string(from: date), "\(date.timeIntervalSince1970), \(generator.replay)")
        }
    }
}
