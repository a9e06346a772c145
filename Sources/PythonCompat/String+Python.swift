/// Python `str` semantics that Airflow's behaviour depends on, reproduced exactly so that Strata
/// names, strips and splits text the way a running Airflow does.
extension String {
    /// Python's `str.upper()`: Unicode full upper-case mapping, independent of locale
    /// (`ß` → `SS`, `ﬁ` → `FI`, `ı` → `I`). Airflow upper-cases ids this way to build
    /// `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` names.
    public var pythonUpper: String {
        // Fast path: pure ASCII needs no table lookups.
        var isASCII = true
        for byte in utf8 where byte >= 0x80 { isASCII = false; break }
        if isASCII {
            let count = utf8.count
            return String(unsafeUninitializedCapacity: count) { buffer in
                var i = 0
                for byte in utf8 {
                    buffer[i] = (byte >= 0x61 && byte <= 0x7A) ? byte - 0x20 : byte
                    i += 1
                }
                return count
            }
        }
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            // `uppercaseMapping` is the unconditional full mapping of SpecialCasing.txt, which is
            // what CPython's `str.upper()` applies.
            result += scalar.properties.uppercaseMapping
        }
        return result
    }

    /// `prefix + self.pythonUpper`, built in one allocation when `self` is ASCII.
    public func pythonUpper(prefixedWith prefix: String) -> String {
        var isASCII = true
        for byte in utf8 where byte >= 0x80 { isASCII = false; break }
        guard isASCII else { return prefix + pythonUpper }
        let count = prefix.utf8.count + utf8.count
        return String(unsafeUninitializedCapacity: count) { buffer in
            var i = 0
            for byte in prefix.utf8 { buffer[i] = byte; i += 1 }
            for byte in utf8 {
                buffer[i] = (byte >= 0x61 && byte <= 0x7A) ? byte - 0x20 : byte
                i += 1
            }
            return count
        }
    }

    /// Python's `str.strip()` with no argument: removes leading and trailing characters for which
    /// `str.isspace()` is true — this includes NBSP, U+3000 and `\x1c`–`\x1f`, but not a BOM.
    public var pythonStripped: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isPythonWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isPythonWhitespace })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }

    /// Whether Python's `str.isspace()` is true (and the string is not empty).
    public var pythonIsSpace: Bool {
        !isEmpty && unicodeScalars.allSatisfy(\.isPythonWhitespace)
    }

    /// Python's `str.splitlines()` (without `keepends`): splits at `\n`, `\r`, `\r\n`, `\v`, `\f`,
    /// `\x1c`, `\x1d`, `\x1e`, U+0085, U+2028 and U+2029; a trailing separator does not make an
    /// extra empty line, and `""` gives no lines.
    public func pythonSplitLines() -> [Substring] {
        var lines: [Substring] = []
        let bytes = utf8
        var lineStart = bytes.startIndex
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let byte = bytes[i]
            var separatorLength = 0
            switch byte {
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E:
                separatorLength = 1
            case 0x0D:
                let next = bytes.index(after: i)
                separatorLength = (next < end && bytes[next] == 0x0A) ? 2 : 1
            case 0xC2:
                let next = bytes.index(after: i)
                if next < end && bytes[next] == 0x85 { separatorLength = 2 }
            case 0xE2:
                let second = bytes.index(after: i)
                if second < end, bytes[second] == 0x80 {
                    let third = bytes.index(after: second)
                    if third < end, bytes[third] == 0xA8 || bytes[third] == 0xA9 { separatorLength = 3 }
                }
            default:
                break
            }
            if separatorLength > 0 {
                lines.append(self[lineStart..<i])
                i = bytes.index(i, offsetBy: separatorLength)
                lineStart = i
            } else {
                i = bytes.index(after: i)
            }
        }
        if lineStart < end { lines.append(self[lineStart..<end]) }
        return lines
    }
}

extension Substring {
    /// Python's `str.strip()`; see `String.pythonStripped`.
    public var pythonStripped: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isPythonWhitespace }) else { return self[endIndex...] }
        let last = scalars.lastIndex(where: { !$0.isPythonWhitespace })!
        return Substring(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// Python's `str.isspace()` for one character: bidirectional class WS, B or S, or general
    /// category Zs (CPython's `_PyUnicode_IsWhitespace`, Unicode 14 / CPython 3.11).
    public var isPythonWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
