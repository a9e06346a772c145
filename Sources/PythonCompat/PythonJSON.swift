/// CPython 3.11's `json.loads` (the C scanner), producing Python values and raising
/// `JSONDecodeError` with CPython's message and position. Airflow's local-file loader reports
/// the error's `msg` and `lineno`, so both must be exact; object keys also remember the line
/// they were read on, for Strata's detail pane.
package enum PythonJSON {
    /// `json.JSONDecodeError`: `msg`, and the position as line and column (1-based).
    package struct DecodeError: Error, Sendable, Hashable {
        package var msg: String
        package var position: Int
        package var lineno: Int
        package var colno: Int

        /// `str(error)`: `"<msg>: line L column C (char P)"`.
        package var description: String { "\(msg): line \(lineno) column \(colno) (char \(position))" }
    }

    /// `json.loads(text)`; for a top-level object, also the 1-based line of each key's last
    /// occurrence.
    package static func loads(_ text: String) throws -> (value: PythonValue, keyLines: [String: Int]) {
        var copy = text
        return try copy.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return try scanner.document()
        }
    }

    /// The C scanner over UTF-8 bytes. Positions in errors are counted in code points, as
    /// Python counts them in its `str`.
    package struct Scanner {
        package let bytes: UnsafeBufferPointer<UInt8>
        package var keyLines: [String: Int] = [:]
        /// Line bookkeeping for key lines: the newline count up to `lineScanOffset`.
        private var lineScanOffset = 0
        private var lineAtOffset = 1
        private var depth = 0

        package init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        package mutating func document() throws -> (value: PythonValue, keyLines: [String: Int]) {
            // json.loads refuses a str that starts with a BOM before anything else.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                throw error("Unexpected UTF-8 BOM (decode using utf-8-sig)", at: 0)
            }
            var index = skipWhitespace(0)
            let value: PythonValue
            do {
                value = try scan(&index, topLevel: true)
            } catch let stop as StopIteration {
                throw error("Expecting value", at: stop.index)
            }
            index = skipWhitespace(index)
            if index != bytes.count { throw error("Extra data", at: index) }
            return (value, keyLines)
        }

        package struct StopIteration: Error { var index: Int }

        private func skipWhitespace(_ start: Int) -> Int {
            var i = start
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return i
                }
            }
            return i
        }

        private func error(_ msg: String, at byteIndex: Int) -> DecodeError {
            var line = 1
            var lineStart = 0
            var i = 0
            while i < byteIndex && i < bytes.count {
                if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
            }
            let position = codePoints(0, byteIndex)
            let column = codePoints(lineStart, byteIndex) + 1
            return DecodeError(msg: msg, position: position, lineno: line, colno: column)
        }

        private func codePoints(_ start: Int, _ end: Int) -> Int {
            var count = 0
            var i = start
            while i < end && i < bytes.count {
                if bytes[i] & 0xC0 != 0x80 { count += 1 }
                i += 1
            }
            return count
        }

        private mutating func line(at byteIndex: Int) -> Int {
            if byteIndex < lineScanOffset { lineScanOffset = 0; lineAtOffset = 1 }
            var i = lineScanOffset
            var line = lineAtOffset
            while i < byteIndex {
                if bytes[i] == 0x0A { line += 1 }
                i += 1
            }
            lineScanOffset = byteIndex
            lineAtOffset = line
            return line
        }

        private func matches(_ index: Int, _ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let start = word.utf8Start
            for k in 0..<count where bytes[index + k] != start[k] { return false }
            return true
        }

        /// `scan_once`: a value starting at `index`, or `StopIteration(index)`.
        private mutating func scan(_ index: inout Int, topLevel: Bool = false) throws -> PythonValue {
            guard index < bytes.count else { throw StopIteration(index: index) }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                return .string(try scanString(&index, quoteAt: start))
            case UInt8(ascii: "{"):
                try enter("object")
                defer { depth -= 1 }
                index += 1
                return try scanObject(&index, topLevel: topLevel)
            case UInt8(ascii: "["):
                try enter("array")
                defer { depth -= 1 }
                index += 1
                return try scanArray(&index)
            case UInt8(ascii: "n") where matches(index, "null"):
                index += 4
                return .none
            case UInt8(ascii: "t") where matches(index, "true"):
                index += 4
                return .bool(true)
            case UInt8(ascii: "f") where matches(index, "false"):
                index += 5
                return .bool(false)
            case UInt8(ascii: "N") where matches(index, "NaN"):
                index += 3
                return .float(.nan)
            case UInt8(ascii: "I") where matches(index, "Infinity"):
                index += 8
                return .float(.infinity)
            case UInt8(ascii: "-") where matches(index, "-Infinity"):
                index += 9
                return .float(-.infinity)
            default:
                return try scanNumber(&index)
            }
        }

        private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }

        /// `_match_number_unicode`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
        private func scanNumber(_ index: inout Int) throws -> PythonValue {
            let start = index
            var i = index
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { throw StopIteration(index: start) }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while isDigit(i) { i += 1 }
            }
            var isFloat = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "."), isDigit(i + 1) {
                i += 2
                while isDigit(i) { i += 1 }
                isFloat = true
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                var j = i + 1
                if j < bytes.count, bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "+") { j += 1 }
                if isDigit(j) {
                    while isDigit(j) { j += 1 }
                    i = j
                    isFloat = true
                }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            index = i
            if isFloat { return .float(Double(text) ?? .nan) }
            let digitCount = text.utf8.count - (text.hasPrefix("-") ? 1 : 0)
            if digitCount > 4300 {
                throw PythonException("ValueError",
                                      "Exceeds the limit (4300 digits) for integer string conversion: value has \(digitCount) digits; use sys.set_int_max_str_digits() to increase the limit")
            }
            return .int(text == "-0" ? "0" : text)
        }

        /// `scanstring` (strict): the text after the opening quote at `quoteAt`.
        package func scanString(_ index: inout Int, quoteAt begin: Int) throws -> String {
            var i = index
            // Fast path: no escapes.
            let runStart = i
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    index = i + 1
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<i]), as: UTF8.self)
                }
                if c == UInt8(ascii: "\\") || c < 0x20 { break }
                i += 1
            }
            var scalars = String.UnicodeScalarView()
            var chunk = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<i]), as: UTF8.self)
            while true {
                guard i < bytes.count else { throw error("Unterminated string starting at", at: begin) }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { throw error("Invalid control character at", at: i) }
                if c != UInt8(ascii: "\\") {
                    let runStart = i
                    while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 {
                        i += 1
                    }
                    chunk += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<i]), as: UTF8.self)
                    continue
                }
                // A backslash escape.
                let backslash = i
                i += 1
                guard i < bytes.count else { throw error("Unterminated string starting at", at: begin) }
                let escape = bytes[i]
                if escape != UInt8(ascii: "u") {
                    let replacement: String
                    switch escape {
                    case UInt8(ascii: "\""): replacement = "\""
                    case UInt8(ascii: "\\"): replacement = "\\"
                    case UInt8(ascii: "/"): replacement = "/"
                    case UInt8(ascii: "b"): replacement = "\u{08}"
                    case UInt8(ascii: "f"): replacement = "\u{0C}"
                    case UInt8(ascii: "n"): replacement = "\n"
                    case UInt8(ascii: "r"): replacement = "\r"
                    case UInt8(ascii: "t"): replacement = "\t"
                    default: throw error("Invalid \\escape", at: backslash)
                    }
                    chunk += replacement
                    i += 1
                    continue
                }
                // \uXXXX, with a following low surrogate combined. CPython wants one more character
                // after each escape's four digits (as the closing quote), else the escape is invalid.
                guard i + 5 < bytes.count, let high = hex4(i + 1) else { throw error("Invalid \\uXXXX escape", at: i) }
                i += 5
                var code = high
                if (0xD800...0xDBFF).contains(high), i + 6 < bytes.count,
                   bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    guard let low = hex4(i + 2) else { throw error("Invalid \\uXXXX escape", at: i + 1) }
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                // Python keeps a lone surrogate in its str; Swift cannot hold one.
                scalars.removeAll(keepingCapacity: true)
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                chunk += String(scalars)
            }
            index = i + 1
            return chunk
        }

        private func hex4(_ start: Int) -> UInt32? {
            guard start + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for k in start..<(start + 4) {
                guard let digit = PythonInteger.digitValue(bytes[k]) else { return nil }
                value = value * 16 + UInt32(digit)
            }
            return value
        }

        private mutating func scanObject(_ index: inout Int, topLevel: Bool) throws -> PythonValue {
            var dict = PythonDict()
            var i = skipWhitespace(index)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                index = i + 1
                return .dict(dict)
            }
            while true {
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                    throw error("Expecting property name enclosed in double quotes", at: i)
                }
                let keyStart = i
                i += 1
                let key = try scanString(&i, quoteAt: keyStart)
                if topLevel { keyLines[key] = line(at: keyStart) }
                i = skipWhitespace(i)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                    throw error("Expecting ':' delimiter", at: i)
                }
                i = skipWhitespace(i + 1)
                let value: PythonValue
                do {
                    value = try scan(&i)
                } catch let stop as StopIteration {
                    throw error("Expecting value", at: stop.index)
                }
                dict[.string(key)] = value
                i = skipWhitespace(i)
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { break }
                guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else {
                    throw error("Expecting ',' delimiter", at: i)
                }
                i = skipWhitespace(i + 1)
            }
            index = i + 1
            return .dict(dict)
        }

        private mutating func scanArray(_ index: inout Int) throws -> PythonValue {
            var items: [PythonValue] = []
            var i = skipWhitespace(index)
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                index = i + 1
                return .list(items)
            }
            while true {
                do {
                    items.append(try scan(&i))
                } catch let stop as StopIteration {
                    throw error("Expecting value", at: stop.index)
                }
                i = skipWhitespace(i)
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { break }
                guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else {
                    throw error("Expecting ',' delimiter", at: i)
                }
                i = skipWhitespace(i + 1)
            }
            index = i + 1
            return .list(items)
        }

        /// Entering an object or array: CPython's `Py_EnterRecursiveCall`, which refuses nesting
        /// deeper than the recursion limit leaves room for (one limit with `JSONValue.parsePython`).
        private mutating func enter(_ kind: String) throws {
            guard depth < PythonJSONScanner.maximumDepth else { throw PythonJSONScanner.recursionError(decoding: kind) }
            depth += 1
        }
    }
}
