import Foundation
import Testing
import TestSupport
import RemoteSupport

/// `Retry-After` as an HTTP-date: the three forms RFC 9110 names, read exactly, and nothing
/// looser. Every remote tier reads it through `RetryAfter.parse`.
@Suite("HTTP-date in Retry-After")
struct HTTPDateTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)   // Tue, 14 Nov 2023 22:13:20 GMT

    /// The wait in whole seconds, or nil when the header is ignored.
    func wait(_ header: String) -> Int64? {
        RetryAfter.parse(header, now: now).map { $0.components.seconds }
    }

    @Test func agreesWithFoundationsFormatterOnEveryFormAcrossTwoCenturies() {
        func formatter(_ format: String) -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            return formatter
        }
        let imf = formatter("EEE, dd MMM yyyy HH:mm:ss 'GMT'")
        let rfc850 = formatter("EEEE, dd-MMM-yy HH:mm:ss 'GMT'")
        let ascMonth = formatter("EEE MMM"), ascDay = formatter("d"), ascRest = formatter("HH:mm:ss yyyy")
        var generator = SeededGenerator()
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_208_988_800...4_102_444_799, using: &generator)   // 1900...2099
            let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
            let day = ascDay.string(from: instant)
            var texts = [imf.string(from: instant),
                         "\(ascMonth.string(from: instant)) \(day.count == 1 ? " " : "")\(day) \(ascRest.string(from: instant))"]
            // Two-digit years name 1974...2073 as seen from 2023 (RFC 9110's 50-year rule).
            if (126_230_400..<3_281_990_400).contains(seconds) { texts.append(rfc850.string(from: instant)) }
            let expected = max(0, min(seconds - 1_700_000_000, 86_400))
            for text in texts {
                #expect(wait(text) == expected, "\(text), \(generator.replay)")
            }
        }
    }

    @Test func readsTheObsoleteFormsWithRFC9110sTwoDigitYearRule() {
        #expect(wait("Tuesday, 14-Nov-23 22:13:30 GMT") == 10)
        #expect(wait("Tue Nov 14 22:13:30 2023") == 10)
        // 2-digit years more than 50 years ahead are the previous century: in the past, so no wait.
        #expect(wait("Friday, 14-Nov-80 22:13:30 GMT") == 0)
        // Within 50 years ahead: the future, capped at a day.
        #expect(wait("Sunday, 14-Nov-60 22:13:30 GMT") == 86_400)
    }

    @Test func acceptsLeapDaysAndRejectsDaysTheMonthDoesNotHave() {
        #expect(wait("Thu, 29 Feb 2024 00:00:00 GMT") == 86_400)
        #expect(wait("Wed, 29 Feb 2023 00:00:00 GMT") == nil)
        #expect(wait("Tue, 29 Feb 2100 00:00:00 GMT") == nil)
        #expect(wait("Tue, 29 Feb 2000 00:00:00 GMT") == 0)
        #expect(wait("Fri, 31 Nov 2023 00:00:00 GMT") == nil)
        #expect(wait("Fri, 00 Nov 2023 00:00:00 GMT") == nil)
    }

    @Test(arguments: [
        "Tue, 14 Nov 2023 22:13:30 gmt", "Tue, 14 Nov 2023 22:13:30 UTC", "Tue, 14 Nov 2023 22:13:30",
        "Tue, 14 Nov 2023 22:13:30 GMT,", "tue, 14 Nov 2023 22:13:30 GMT", "Tue, 14 nov 2023 22:13:30 GMT",
        "Tue, 4 Nov 2023 22:13:30 GMT", "Tue,14 Nov 2023 22:13:30 GMT", "Tue, 14 Nov 23 22:13:30 GMT",
        "Tue, 14 Nov 2023 24:00:00 GMT", "Tue, 14 Nov 2023 22:60:00 GMT", "Tue, 14 Nov 2023 22:13:60 GMT",
        "Tue, 14 Nov 2023 2:13:30 GMT", "Tue, 14 Nov 02023 22:13:30 GMT", "Tues, 14 Nov 2023 22:13:30 GMT",
        "Tuesday, 14 Nov 2023 22:13:30 GMT", "Tue, 14-Nov-23 22:13:30 GMT", "Tuesday, 14-Nov-2023 22:13:30 GMT",
        "Tue Nov 14 22:13:30 2023 GMT", "Tue Nov 6 22:13:30 2023", "Tue Nov   6 22:13:30 2023",
        "Tue, 14 Nov 2023 22:13:30 GMT\u{0}", "Tue, ١٤ Nov 2023 22:13:30 GMT", "Tue, 14 Nov 0000 22:13:30 GMT", "",
    ])
    func anythingButTheExactFormsIsIgnored(_ header: String) {
        #expect(wait(header) == nil, "\(header)")
    }
}
