import Foundation

/// Reads an HTTP-date (RFC 9110 §5.6.7) byte by byte: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37
/// GMT`) and the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
/// (`Sun Nov  6 08:49:37 1994`) forms that recipients must still accept.
///
/// Written out rather than through `DateFormatter` because it sits on every throttled reply:
/// a formatter per attempt cost more than the decoding of the reply itself, and ICU's lenient
/// corners (two-digit years, out-of-range fields) are not the RFC's.
enum HTTPDate {
    /// The instant `text` names, or `nil` when it is not exactly one of the three forms.
    static func parse(_ text: String, now: Date = Date()) -> Date? {
        var bytes = Array(text.utf8)
        guard bytes.count <= 64 else { return nil }
        bytes.append(0)   // a sentinel, so every look-ahead below stays in bounds
        var reader = Reader(bytes: bytes)
        guard let dayName = reader.letters(), reader.isAt(",") || reader.isAt(" ") else { return nil }
        if dayName.count == 3, shortDayNames.contains(dayName), reader.take(",") {
            // IMF-fixdate: ", " DD " " Mon " " YYYY " " HH:MM:SS " GMT"
            guard reader.take(" "), let day = reader.digits(2), reader.take(" "),
                  let month = reader.month(), reader.take(" "), let year = reader.digits(4), reader.take(" "),
                  let time = reader.time(), reader.take(" GMT"), reader.atEnd else { return nil }
            return date(year: year, month: month, day: day, time: time)
        }
        if longDayNames.contains(dayName), reader.take(",") {
            // RFC 850: ", " DD "-" Mon "-" YY " " HH:MM:SS " GMT"
            guard reader.take(" "), let day = reader.digits(2), reader.take("-"),
                  let month = reader.month(), reader.take("-"), let shortYear = reader.digits(2), reader.take(" "),
                  let time = reader.time(), reader.take(" GMT"), reader.atEnd else { return nil }
            return date(year: fullYear(shortYear, now: now), month: month, day: day, time: time)
        }
        if dayName.count == 3, shortDayNames.contains(dayName), reader.take(" ") {
            // asctime: " " Mon " " (DD | " " D) " " HH:MM:SS " " YYYY
            guard let month = reader.month(), reader.take(" ") else { return nil }
            let day: Int?
            if reader.take(" ") { day = reader.digits(1) } else { day = reader.digits(2) }
            guard let day, reader.take(" "), let time = reader.time(), reader.take(" "),
                  let year = reader.digits(4), reader.atEnd else { return nil }
            return date(year: year, month: month, day: day, time: time)
        }
        return nil
    }

    private static let shortDayNames: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDayNames: Set<String> = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                    "Saturday", "Sunday"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 9110: a two-digit year more than 50 years in the future means the most recent past
    /// year with the same last two digits.
    private static func fullYear(_ twoDigits: Int, now: Date) -> Int {
        let thisYear = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "GMT")!, from: now).year ?? 2000
        var year = (thisYear / 100) * 100 + twoDigits
        if year > thisYear + 50 { year -= 100 }
        return year
    }

    private static func date(year: Int, month: Int, day: Int, time: (hour: Int, minute: Int, second: Int)) -> Date? {
        guard (1...9999).contains(year), day >= 1, day <= daysIn(month: month, year: year),
              time.hour < 24, time.minute < 60, time.second < 60 else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400
            + time.hour * 3_600 + time.minute * 60 + time.second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A cursor over the header's bytes, ending in a NUL sentinel.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count - 1 }

        func isAt(_ literal: StaticString) -> Bool {
            bytes[index] == literal.utf8Start.pointee
        }

        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count < bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
            index += count
            return true
        }

        mutating func letters() -> String? {
            let start = index
            while bytes[index] >= 65, bytes[index] <= 122, bytes[index] <= 90 || bytes[index] >= 97 { index += 1 }
            guard index > start, index - start <= 9 else { return nil }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }

        mutating func month() -> Int? {
            guard let name = letters(), let position = HTTPDate.monthNames.firstIndex(of: name) else { return nil }
            return position + 1
        }

        mutating func time() -> (hour: Int, minute: Int, second: Int)? {
            guard let hour = digits(2), take(":"), let minute = digits(2), take(":"), let second = digits(2) else { return nil }
            return (hour, minute, second)
        }
    }
}
