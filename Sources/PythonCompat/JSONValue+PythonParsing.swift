/// `json.loads` exactly as CPython 3.11's C scanner behaves, over UTF-8 bytes.
extension JSONValue {
    /// Python json.loads semantics (NaN/Infinity/-Infinity, duplicate keys: last value wins at the
    /// first key's position, big ints exact, floats), errors as
    /// `PythonException("JSONDecodeError", "Expecting value: line 1 column 1 (char 0)")` with Python's
    /// messages and positions (positions count code points, as Python's `str` does).
    ///
    /// Differences from CPython that cannot be avoided: a lone surrogate escape (`"\ud800"`)
    /// becomes U+FFFD because a Swift `String` cannot hold one; nesting deeper than
    /// `PythonJSONScanner.maximumDepth` raises `RecursionError` (CPython's limit depends on the
    /// caller's stack depth, about 990 levels in Airflow).
    public static func parsePython(_ text: String) throws -> JSONValue {
        switch loadsPython(text) {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }

    /// `json.loads` without throwing: the value, or the exception Python would raise.
    package static func loadsPython(_ text: String) -> Result<JSONValue, PythonException> {
        var copy = text
        return copy.withUTF8 { bytes in
            var scanner = PythonJSONScanner(bytes: bytes)
            do {
                return .success(try scanner.document())
            } catch let failure as PythonJSONScanner.Failure {
                return .failure(failure.error(in: bytes))
            } catch {
                return .failure(PythonException("ValueError", "\(error)"))
            }
        }
    }

    /// `json.loads(text)`, or nil where it raises `JSONDecodeError`; other exceptions are thrown.
    /// Cheap on failure: no message is built, and text that cannot start a JSON value is
    /// refused before scanning.
    package static func loadsPythonIfDecodable(_ text: String) throws -> JSONValue? {
        var copy = text
        return try copy.withUTF8 { bytes -> JSONValue? in
            var i = 0
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), 0x30...0x39,
                 UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "I"):
                break
            default:
                return nil
            }
            var scanner = PythonJSONScanner(bytes: bytes)
            do {
                return try scanner.document()
            } catch let failure as PythonJSONScanner.Failure {
                switch failure {
                case .decode, .stop: return nil
                case .other(let error): throw error
                }
            }
        }
    }
}

/// CPython's `_json.c` scanner (`scan_once_unicode`, `scanstring_unicode`,
/// `_match_number_unicode`) plus `json.decoder.JSONDecoder.decode`.
package struct PythonJSONScanner {
    /// The deepest nesting of objects and arrays that parses; one more raises `RecursionError`.
    /// CPython's limit is the recursion limit (1000) less the caller's stack depth: measured
    /// with Airflow 3.3.2 on Python 3.11, a local-files variables file fails at 989-990 levels,
    /// a connections file or a connection's `extra` at about 985, a bare `json.loads` at 993.
    package static let maximumDepth = 990

    package enum Failure: Error {
        /// `JSONDecodeError(msg, doc, pos)` with `pos` a byte offset.
        case decode(String, Int)
        /// Any other Python exception.
        case other(PythonException)
        /// `StopIteration(idx)` inside the scanner: becomes "Expecting value" at the top.
        case stop(Int)

        package func error(in bytes: UnsafeBufferPointer<UInt8>) -> PythonException {
            switch self {
            case .decode(let message, let offset): return Self.decodeError(message, offset, bytes)
            case .stop(let offset): return Self.decodeError("Expecting value", offset, bytes)
            case .other(let error): return error
            }
        }

        /// `str(JSONDecodeError)`: `"<msg>: line L column C (char P)"`, counted in code points.
        package static func decodeError(_ message: String, _ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> PythonException {
            var position = 0, line = 1, lastNewline = -1
            var i = 0
            while i < offset && i < bytes.count {
                let byte = bytes[i]
                if byte & 0xC0 != 0x80 {
                    if byte == 0x0A { line += 1; lastNewline = position }
                    position += 1
                }
                i += 1
            }
            let column = position - lastNewline
            return PythonException("JSONDecodeError", "\(message): line \(line) column \(column) (char \(position))")
        }
    }

    package let bytes: UnsafeBufferPointer<UInt8>
    private var depth = 0

    package init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    package mutating func document() throws -> JSONValue {
        // json.loads refuses a str starting with a BOM.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw Failure.decode("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
        }
        var index = skipWhitespace(0)
        let value: JSONValue
        do {
            value = try scan(&index)
        } catch Failure.stop(let at) {
            throw Failure.decode("Expecting value", at)
        }
        index = skipWhitespace(index)
        if index != bytes.count { throw Failure.decode("Extra data", index) }
        return value
    }

    @inline(__always)
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

    private func matches(_ index: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { return false }
        return true
    }

    /// `scan_once_unicode`.
    private mutating func scan(_ index: inout Int) throws -> JSONValue {
        guard index < bytes.count else { throw Failure.stop(index) }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let start = index
            index += 1
            return .string(try scanString(&index, quoteAt: start))
        case UInt8(ascii: "{"):
            try enter("object")
            defer { depth -= 1 }
            index += 1
            return try scanObject(&index)
        case UInt8(ascii: "["):
            try enter("array")
            defer { depth -= 1 }
            index += 1
            return try scanArray(&index)
        case UInt8(ascii: "n") where matches(index, "null"):
            index += 4
            return .null
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

    private mutating func enter(_ kind: String) throws {
        guard depth < Self.maximumDepth else { throw Failure.other(Self.recursionError(decoding: kind)) }
        depth += 1
    }

    /// CPython's `RecursionError` on entering one container too many.
    package static func recursionError(decoding kind: String) -> PythonException {
        PythonException("RecursionError", "maximum recursion depth exceeded while decoding a JSON \(kind) from a unicode string")
    }

    @inline(__always)
    private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }

    /// `_match_number_unicode`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
    private func scanNumber(_ index: inout Int) throws -> JSONValue {
        let start = index
        var i = index
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw Failure.stop(start) }
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
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<i])
        index = i
        if isFloat {
            // float(text): correctly rounded; overflow gives ±inf, as in Python.
            let text = String(decoding: slice, as: UTF8.self)
            return .float(Double(text) ?? (slice.first == UInt8(ascii: "-") ? -.infinity : .infinity))
        }
        let negative = slice.first == UInt8(ascii: "-")
        let digitCount = slice.count - (negative ? 1 : 0)
        if digitCount > 4300 {
            throw Failure.other(PythonException(
                "ValueError",
                "Exceeds the limit (4300 digits) for integer string conversion: value has \(digitCount) digits; use sys.set_int_max_str_digits() to increase the limit"))
        }
        if digitCount == 1 && negative && slice[1] == UInt8(ascii: "0") { return .integer("0") }
        return .integer(String(decoding: slice, as: UTF8.self))
    }

    /// `scanstring_unicode` with `strict=True`: the text after the opening quote at `quoteAt`.
    private func scanString(_ index: inout Int, quoteAt begin: Int) throws -> String {
        let start = index
        var i = index
        // Fast path: no escapes, no control characters.
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                index = i + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            i += 1
        }
        var out = [UInt8]()
        out.reserveCapacity(i - index + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<i]))
        while true {
            guard i < bytes.count else { throw Failure.decode("Unterminated string starting at", begin) }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw Failure.decode("Invalid control character at", i) }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            let backslash = i
            i += 1
            guard i < bytes.count else { throw Failure.decode("Unterminated string starting at", begin) }
            let escape = bytes[i]
            if escape != UInt8(ascii: "u") {
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: throw Failure.decode("Invalid \\escape", backslash)
                }
                i += 1
                continue
            }
            // \uXXXX: CPython needs one more character after the four digits (the closing quote).
            let u = i
            guard u + 5 < bytes.count else { throw Failure.decode("Invalid \\uXXXX escape", u) }
            guard let high = hex4(u + 1) else { throw Failure.decode("Invalid \\uXXXX escape", u) }
            i = u + 5
            var code = high
            if (0xD800...0xDBFF).contains(high), i + 6 < bytes.count,
               bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                guard let low = hex4(i + 2) else { throw Failure.decode("Invalid \\uXXXX escape", i + 1) }
                if (0xDC00...0xDFFF).contains(low) {
                    code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
            }
            // A lone surrogate cannot live in a Swift String.
            let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
            UTF8.encode(scalar) { out.append($0) }
        }
        index = i + 1
        return String(decoding: out, as: UTF8.self)
    }

    private func hex4(_ start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in start..<(start + 4) {
            let b = bytes[k]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x61...0x66: digit = b - 0x61 + 10
            case 0x41...0x46: digit = b - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// `_parse_object_unicode`; `index` is just past `{`.
    private mutating func scanObject(_ index: inout Int) throws -> JSONValue {
        var object = JSONObject()
        var i = skipWhitespace(index)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            index = i + 1
            return .object(object)
        }
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw Failure.decode("Expecting property name enclosed in double quotes", i)
            }
            let keyStart = i
            i += 1
            let key = try scanString(&i, quoteAt: keyStart)
            i = skipWhitespace(i)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw Failure.decode("Expecting ':' delimiter", i)
            }
            i = skipWhitespace(i + 1)
            object[key] = try scan(&i)
            i = skipWhitespace(i)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { break }
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else {
                throw Failure.decode("Expecting ',' delimiter", i)
            }
            i = skipWhitespace(i + 1)
        }
        index = i + 1
        return .object(object)
    }

    /// `_parse_array_unicode`; `index` is just past `[`.
    private mutating func scanArray(_ index: inout Int) throws -> JSONValue {
        var items: [JSONValue] = []
        var i = skipWhitespace(index)
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            index = i + 1
            return .array(items)
        }
        while true {
            items.append(try scan(&i))
            i = skipWhitespace(i)
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { break }
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else {
                throw Failure.decode("Expecting ',' delimiter", i)
            }
            i = skipWhitespace(i + 1)
        }
        index = i + 1
        return .array(items)
    }
}
