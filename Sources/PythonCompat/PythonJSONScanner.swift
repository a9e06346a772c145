/// What both `json.loads` ports share: CPython's limit on nesting and its failures.
package enum PythonJSONDecoding {
    /// The deepest nesting of objects and arrays that parses; one more raises `RecursionError`.
    /// CPython's limit is the recursion limit (1000) less the caller's stack depth: measured
    /// with Airflow 3.3.2 on Python 3.11, a local-files variables file fails at 989-990 levels,
    /// a connections file or a connection's `extra` at about 985, a bare `json.loads` at 993.
    package static let maximumDepth = 990

    /// CPython's `RecursionError` on entering one container too many.
    package static func recursionError(decoding kind: String) -> PythonException {
        PythonException("RecursionError", "maximum recursion depth exceeded while decoding a JSON \(kind) from a unicode string")
    }

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
            let (position, line, column) = location(of: offset, in: bytes)
            return PythonException("JSONDecodeError", "\(message): line \(line) column \(column) (char \(position))")
        }

        /// Where byte `offset` is as Python counts in its `str`: the code-point position, and the
        /// 1-based line and column.
        package static func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (position: Int, line: Int, column: Int) {
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
            return (position, line, position - lastNewline)
        }
    }
}

/// What a scan builds: `JSONValue`s, or Python values.
package protocol PythonJSONBuilder {
    associatedtype Value
    associatedtype Object
    static var null: Value { get }
    static func bool(_ flag: Bool) -> Value
    /// An `int`, as its decimal text.
    static func integer(_ text: String) -> Value
    static func float(_ value: Double) -> Value
    static func string(_ text: String) -> Value
    static func array(_ items: [Value]) -> Value
    static func emptyObject() -> Object
    /// Sets `key`, as a Python `dict` does: a duplicate key keeps its first position, last value.
    static func set(_ key: String, _ value: Value, in object: inout Object)
    static func object(_ object: Object) -> Value
}

/// Builds `JSONValue`s.
package enum JSONValueBuilder: PythonJSONBuilder {
    package static var null: JSONValue { .null }
    package static func bool(_ flag: Bool) -> JSONValue { .bool(flag) }
    package static func integer(_ text: String) -> JSONValue { .integer(text) }
    package static func float(_ value: Double) -> JSONValue { .float(value) }
    package static func string(_ text: String) -> JSONValue { .string(text) }
    package static func array(_ items: [JSONValue]) -> JSONValue { .array(items) }
    package static func emptyObject() -> JSONObject { JSONObject() }
    package static func set(_ key: String, _ value: JSONValue, in object: inout JSONObject) { object[key] = value }
    package static func object(_ object: JSONObject) -> JSONValue { .object(object) }
}

/// Builds Python values (`dict`, `list`, `int`…), as `json.loads` returns them.
package enum PythonValueBuilder: PythonJSONBuilder {
    package static var null: PythonValue { .none }
    package static func bool(_ flag: Bool) -> PythonValue { .bool(flag) }
    package static func integer(_ text: String) -> PythonValue { .int(text) }
    package static func float(_ value: Double) -> PythonValue { .float(value) }
    package static func string(_ text: String) -> PythonValue { .string(text) }
    package static func array(_ items: [PythonValue]) -> PythonValue { .list(items) }
    package static func emptyObject() -> PythonDict { PythonDict() }
    package static func set(_ key: String, _ value: PythonValue, in object: inout PythonDict) { object[.string(key)] = value }
    package static func object(_ object: PythonDict) -> PythonValue { .dict(object) }
}

/// CPython's `_json.c` scanner (`scan_once_unicode`, `scanstring_unicode`,
/// `_match_number_unicode`) plus `json.decoder.JSONDecoder.decode`.
///
/// The one scanner behind both of Strata's `json.loads`: `JSONValue.parsePython` (connections,
/// extras, replies) and `PythonJSON.loads` (local-files JSON, Python values and key lines). What
/// it builds is its `Builder`'s; what it accepts, refuses and says is CPython's.
package struct PythonJSONScanner<Builder: PythonJSONBuilder> {
    package typealias Failure = PythonJSONDecoding.Failure

    package let bytes: UnsafeBufferPointer<UInt8>
    private var depth = 0
    /// Set to record the 1-based line of each top-level object key's last occurrence.
    private let tracksKeyLines: Bool
    package private(set) var keyLines: [String: Int] = [:]
    /// Line bookkeeping for key lines: the newline count up to `lineScanOffset`.
    private var lineScanOffset = 0
    private var lineAtOffset = 1

    package init(bytes: UnsafeBufferPointer<UInt8>, tracksKeyLines: Bool = false) {
        self.bytes = bytes
        self.tracksKeyLines = tracksKeyLines
    }

    package mutating func document() throws -> Builder.Value {
        // json.loads refuses a str starting with a BOM.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw Failure.decode("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
        }
        var index = skipWhitespace(0)
        let value: Builder.Value
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
    private mutating func scan(_ index: inout Int) throws -> Builder.Value {
        guard index < bytes.count else { throw Failure.stop(index) }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let start = index
            index += 1
            return Builder.string(try scanString(&index, quoteAt: start))
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
            return Builder.null
        case UInt8(ascii: "t") where matches(index, "true"):
            index += 4
            return Builder.bool(true)
        case UInt8(ascii: "f") where matches(index, "false"):
            index += 5
            return Builder.bool(false)
        case UInt8(ascii: "N") where matches(index, "NaN"):
            index += 3
            return Builder.float(.nan)
        case UInt8(ascii: "I") where matches(index, "Infinity"):
            index += 8
            return Builder.float(.infinity)
        case UInt8(ascii: "-") where matches(index, "-Infinity"):
            index += 9
            return Builder.float(-.infinity)
        default:
            return try scanNumber(&index)
        }
    }

    /// Entering an object or array: CPython's `Py_EnterRecursiveCall`.
    private mutating func enter(_ kind: String) throws {
        guard depth < PythonJSONDecoding.maximumDepth else { throw Failure.other(PythonJSONDecoding.recursionError(decoding: kind)) }
        depth += 1
    }

    /// The 1-based line of `byteIndex`, counting on from the last line asked for.
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

    @inline(__always)
    private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }

    /// `_match_number_unicode`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
    private func scanNumber(_ index: inout Int) throws -> Builder.Value {
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
            return Builder.float(Double(text) ?? (slice.first == UInt8(ascii: "-") ? -.infinity : .infinity))
        }
        let negative = slice.first == UInt8(ascii: "-")
        let digitCount = slice.count - (negative ? 1 : 0)
        if digitCount > 4300 {
            throw Failure.other(PythonException(
                "ValueError",
                "Exceeds the limit (4300 digits) for integer string conversion: value has \(digitCount) digits; use sys.set_int_max_str_digits() to increase the limit"))
        }
        if digitCount == 1 && negative && slice[1] == UInt8(ascii: "0") { return Builder.integer("0") }
        return Builder.integer(String(decoding: slice, as: UTF8.self))
    }

    /// `scanstring_unicode` with `strict=True`: the text after the opening quote at `quoteAt`.
    package func scanString(_ index: inout Int, quoteAt begin: Int) throws -> String {
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
    private mutating func scanObject(_ index: inout Int) throws -> Builder.Value {
        var object = Builder.emptyObject()
        var i = skipWhitespace(index)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            index = i + 1
            return Builder.object(object)
        }
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw Failure.decode("Expecting property name enclosed in double quotes", i)
            }
            let keyStart = i
            i += 1
            let key = try scanString(&i, quoteAt: keyStart)
            if tracksKeyLines && depth == 1 { keyLines[key] = line(at: keyStart) }
            i = skipWhitespace(i)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw Failure.decode("Expecting ':' delimiter", i)
            }
            i = skipWhitespace(i + 1)
            Builder.set(key, try scan(&i), in: &object)
            i = skipWhitespace(i)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { break }
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else {
                throw Failure.decode("Expecting ',' delimiter", i)
            }
            i = skipWhitespace(i + 1)
        }
        index = i + 1
        return Builder.object(object)
    }

    /// `_parse_array_unicode`; `index` is just past `[`.
    private mutating func scanArray(_ index: inout Int) throws -> Builder.Value {
        var items: [Builder.Value] = []
        var i = skipWhitespace(index)
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            index = i + 1
            return Builder.array(items)
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
        return Builder.array(items)
    }
}
