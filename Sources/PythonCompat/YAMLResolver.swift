/// PyYAML's YAML 1.1 implicit resolvers (`yaml/resolver.py`), as hand-written matchers over
/// ASCII bytes: each function accepts exactly what the corresponding PyYAML regular expression
/// accepts, in the same order of precedence (bool, float, int, merge, null, timestamp, value).
package enum YAMLResolver {
    package static let boolTag = "tag:yaml.org,2002:bool"
    package static let floatTag = "tag:yaml.org,2002:float"
    package static let intTag = "tag:yaml.org,2002:int"
    package static let mergeTag = "tag:yaml.org,2002:merge"
    package static let nullTag = "tag:yaml.org,2002:null"
    package static let timestampTag = "tag:yaml.org,2002:timestamp"
    package static let valueTag = "tag:yaml.org,2002:value"
    package static let strTag = "tag:yaml.org,2002:str"

    /// The tag PyYAML gives a plain scalar.
    package static func implicitTag(for value: String) -> String {
        var value = value
        return value.withUTF8 { bytes -> String in
            guard let first = bytes.first else { return nullTag }
            switch first {
            case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"),
                 UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
                return isBool(bytes) ? boolTag : strTag
            case UInt8(ascii: "n"), UInt8(ascii: "N"):
                if isBool(bytes) { return boolTag }
                return isNull(bytes) ? nullTag : strTag
            case UInt8(ascii: "~"):
                return bytes.count == 1 ? nullTag : strTag
            case UInt8(ascii: "<"):
                return (bytes.count == 2 && bytes[1] == UInt8(ascii: "<")) ? mergeTag : strTag
            case UInt8(ascii: "="):
                return bytes.count == 1 ? valueTag : strTag
            case UInt8(ascii: "."):
                return isFloat(bytes) ? floatTag : strTag
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if isFloat(bytes) { return floatTag }
                return isInt(bytes) ? intTag : strTag
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if isFloat(bytes) { return floatTag }
                if isInt(bytes) { return intTag }
                return isTimestamp(bytes) ? timestampTag : strTag
            default:
                return strTag
            }
        }
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let other = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return bytes.elementsEqual(other)
    }

    package static func isBool(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for word: StaticString in ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
                                   "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"]
        where equals(b, word) { return true }
        return false
    }

    package static func isNull(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        equals(b, "null") || equals(b, "Null") || equals(b, "NULL") || equals(b, "~")
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isDigitOrUnderscore(_ c: UInt8) -> Bool { isDigit(c) || c == UInt8(ascii: "_") }

    /// `[0-9][0-9_]*` starting at `i`; the index after it, or `nil` when no digit starts it.
    private static func digitRun(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i < b.count, isDigit(b[i]) else { return nil }
        var j = i + 1
        while j < b.count, isDigitOrUnderscore(b[j]) { j += 1 }
        return j
    }

    /// `(?::[0-5]?[0-9])+` starting at `i`; the index after it, or `nil`.
    private static func sexagesimalGroups(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var j = i
        var groups = 0
        while j < b.count, b[j] == UInt8(ascii: ":") {
            guard j + 1 < b.count, isDigit(b[j + 1]) else { break }
            if j + 2 < b.count, isDigit(b[j + 2]), b[j + 1] <= UInt8(ascii: "5") {
                j += 3
            } else {
                j += 2
            }
            groups += 1
        }
        return groups > 0 ? j : nil
    }

    /// `[eE][-+][0-9]+` exactly filling the rest from `i` (or nothing at all).
    private static func optionalExponentToEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        if i == b.count { return true }
        guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return false }
        guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "-") || b[i + 1] == UInt8(ascii: "+") else { return false }
        guard i + 2 < b.count else { return false }
        for k in (i + 2)..<b.count where !isDigit(b[k]) { return false }
        return true
    }

    /// PyYAML's float resolver.
    package static func isFloat(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        let hasSign = n > 0 && (b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+"))
        if hasSign { i = 1 }
        // [-+]?\.(inf|Inf|INF)
        if i < n, b[i] == UInt8(ascii: ".") {
            let rest = UnsafeBufferPointer(rebasing: b[(i + 1)...])
            if equals(rest, "inf") || equals(rest, "Inf") || equals(rest, "INF") { return true }
            if !hasSign {
                // \.(nan|NaN|NAN)
                if equals(rest, "nan") || equals(rest, "NaN") || equals(rest, "NAN") { return true }
                // \.[0-9][0-9_]*([eE][-+][0-9]+)?
                if let end = digitRun(b, 1), optionalExponentToEnd(b, end) { return true }
            }
            return false
        }
        guard let afterDigits = digitRun(b, i) else { return false }
        // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
        if afterDigits < n, b[afterDigits] == UInt8(ascii: ".") {
            var j = afterDigits + 1
            while j < n, isDigitOrUnderscore(b[j]) { j += 1 }
            if optionalExponentToEnd(b, j) { return true }
        }
        // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
        if let afterGroups = sexagesimalGroups(b, afterDigits), afterGroups < n, b[afterGroups] == UInt8(ascii: ".") {
            var j = afterGroups + 1
            while j < n, isDigitOrUnderscore(b[j]) { j += 1 }
            if j == n { return true }
        }
        return false
    }

    /// PyYAML's int resolver.
    package static func isInt(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        if n > 0, b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { i = 1 }
        guard i < n else { return false }
        func all(from start: Int, _ accept: (UInt8) -> Bool) -> Bool {
            guard start < n else { return false }
            for k in start..<n where !accept(b[k]) { return false }
            return true
        }
        if b[i] == UInt8(ascii: "0") {
            if i + 1 == n { return true } // 0
            let next = b[i + 1]
            if next == UInt8(ascii: "b") {
                return all(from: i + 2) { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }
            }
            if next == UInt8(ascii: "x") {
                return all(from: i + 2) { PythonInteger.digitValue($0) != nil || $0 == UInt8(ascii: "_") }
            }
            return all(from: i + 1) { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == UInt8(ascii: "_") }
        }
        guard b[i] >= UInt8(ascii: "1") && b[i] <= UInt8(ascii: "9") else { return false }
        guard let afterDigits = digitRun(b, i) else { return false }
        if afterDigits == n { return true }
        if let afterGroups = sexagesimalGroups(b, afterDigits), afterGroups == n { return true }
        return false
    }

    /// PyYAML's timestamp resolver.
    package static func isTimestamp(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        func digits(_ start: Int, _ count: Int) -> Bool {
            guard start + count <= n else { return false }
            for k in start..<(start + count) where !isDigit(b[k]) { return false }
            return true
        }
        // [0-9]{4}-[0-9]{2}-[0-9]{2}
        if n == 10, digits(0, 4), b[4] == UInt8(ascii: "-"), digits(5, 2), b[7] == UInt8(ascii: "-"), digits(8, 2) {
            return true
        }
        return timestampComponents(b, allowDateOnly: false) != nil
    }

    /// The groups of PyYAML's `timestamp_regexp` (used by the constructor; the resolver requires
    /// the time part unless the date has two-digit month and day).
    package struct TimestampComponents {
        package var year: Int, month: Int, day: Int
        package var hour: Int?, minute: Int = 0, second: Int = 0
        package var fraction: Substring?
        package var tz: Substring?
        package var tzSign: UInt8?
        package var tzHour: Int = 0, tzMinute: Int = 0
    }

    package static func timestampComponents(_ b: UnsafeBufferPointer<UInt8>, allowDateOnly: Bool) -> TimestampComponents? {
        let n = b.count
        var i = 0
        func number(min: Int, max: Int) -> Int? {
            var value = 0
            var count = 0
            while count < max, i < n, isDigit(b[i]) {
                value = value * 10 + Int(b[i] - 0x30)
                i += 1
                count += 1
            }
            return count >= min ? value : nil
        }
        func expect(_ c: Character) -> Bool {
            guard i < n, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(min: 4, max: 4), expect("-"), let month = number(min: 1, max: 2), expect("-"),
              let day = number(min: 1, max: 2) else { return nil }
        var result = TimestampComponents(year: year, month: month, day: day)
        if i == n { return allowDateOnly ? result : nil }
        // (?:[Tt]|[ \t]+)
        if b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") {
            i += 1
        } else if b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") {
            while i < n, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") { i += 1 }
        } else {
            return nil
        }
        guard let hour = number(min: 1, max: 2), expect(":"), let minute = number(min: 2, max: 2), expect(":"),
              let second = number(min: 2, max: 2) else { return nil }
        result.hour = hour
        result.minute = minute
        result.second = second
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n, isDigit(b[i]) { i += 1 }
            result.fraction = Substring(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        }
        if i == n { return result }
        while i < n, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") { i += 1 }
        guard i < n else { return nil }
        if b[i] == UInt8(ascii: "Z") {
            i += 1
            result.tz = "Z"
        } else if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            result.tzSign = b[i]
            i += 1
            guard let tzHour = number(min: 1, max: 2) else { return nil }
            result.tzHour = tzHour
            if i < n, b[i] == UInt8(ascii: ":") {
                i += 1
                guard let tzMinute = number(min: 2, max: 2) else { return nil }
                result.tzMinute = tzMinute
            }
            result.tz = "±"
        } else {
            return nil
        }
        return i == n ? result : nil
    }
}
