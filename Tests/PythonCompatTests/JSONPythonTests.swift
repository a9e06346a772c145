@testable import PythonCompat
import Testing

/// `JSONValue.parsePython` / `pythonDumps` behave as CPython 3.11's `json.loads` / `json.dumps`
/// (every expected text below was produced by CPython 3.11.7).
@Suite("Python json.loads and json.dumps")
struct JSONPythonTests {
    /// (input, json.dumps(json.loads(input))).
    static let roundTrips: [(String, String)] = [
        ("NaN", "NaN"),
        ("-Infinity", "-Infinity"),
        ("1e400", "Infinity"),
        ("1E+2", "100.0"),
        ("12345678901234567890", "12345678901234567890"),
        ("-0", "0"),
        ("\"\\ud83d\\ude00\"", "\"\\ud83d\\ude00\""),
        ("{\"a\": 1, \"b\": 2, \"a\": 3}", "{\"a\": 3, \"b\": 2}"),
        ("  [1,2 , {\"x\":null}]\n", "[1, 2, {\"x\": null}]"),
        ("[true,false,\"\\/\\b\\f\\n\\r\\t\"]", "[true, false, \"/\\b\\f\\n\\r\\t\"]"),
        ("[1.0, 1e16, 1e-5, 0.1, -0.0, 1e22, 123456789.123]", "[1.0, 1e+16, 1e-05, 0.1, -0.0, 1e+22, 123456789.123]"),
        ("\"é😀\u{7F}\\u0001\\\"\\\\\"", "\"\\u00e9\\ud83d\\ude00\\u007f\\u0001\\\"\\\\\""),
    ]

    @Test("json.dumps(json.loads(text))", arguments: roundTrips.indices)
    func roundTrip(_ index: Int) throws {
        let (input, expected) = Self.roundTrips[index]
        #expect(try JSONValue.parsePython(input).pythonDumps() == expected)
    }

    /// (input, str(JSONDecodeError)).
    static let decodeErrors: [(String, String)] = [
        ("", "Expecting value: line 1 column 1 (char 0)"),
        (" ", "Expecting value: line 1 column 2 (char 1)"),
        ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ("[", "Expecting value: line 1 column 2 (char 1)"),
        ("[1,", "Expecting value: line 1 column 4 (char 3)"),
        ("{\"a\"", "Expecting ':' delimiter: line 1 column 5 (char 4)"),
        ("{\"a\":", "Expecting value: line 1 column 6 (char 5)"),
        ("{\"a\":1", "Expecting ',' delimiter: line 1 column 7 (char 6)"),
        ("{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"),
        ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
        ("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"),
        ("\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"),
        ("\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ("\"\\u12G4\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ("\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"),
        ("01", "Extra data: line 1 column 2 (char 1)"),
        ("1 2", "Extra data: line 1 column 3 (char 2)"),
        ("-", "Expecting value: line 1 column 1 (char 0)"),
        ("nul", "Expecting value: line 1 column 1 (char 0)"),
        ("1.", "Extra data: line 1 column 2 (char 1)"),
        (".5", "Expecting value: line 1 column 1 (char 0)"),
        ("[1e]", "Expecting ',' delimiter: line 1 column 3 (char 2)"),
        ("{\"a\":1}x", "Extra data: line 1 column 8 (char 7)"),
        ("\u{FEFF}{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"),
        ("{\n\"a\":\n}", "Expecting value: line 3 column 1 (char 7)"),
        ("\"é", "Unterminated string starting at: line 1 column 1 (char 0)"),
        ("{\"é\": tru}", "Expecting value: line 1 column 7 (char 6)"),
        ("[[[]]", "Expecting ',' delimiter: line 1 column 6 (char 5)"),
    ]

    @Test("malformed input raises JSONDecodeError with CPython's message", arguments: decodeErrors.indices)
    func decodeError(_ index: Int) {
        let (input, message) = Self.decodeErrors[index]
        #expect(throws: PythonException("JSONDecodeError", message)) { try JSONValue.parsePython(input) }
    }

    /// Found by fuzz-python-json: the local-files scanner (`PythonJSON`) read a `\uXXXX` escape
    /// that ends the text, and a surrogate pair ending it, where CPython refuses the escape.
    @Test("both scanners refuse an escape ending the text as CPython does", arguments: [
        ("\"\\u1234", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
        ("\"\\ud82d\\ude00", "Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
        ("{\"k\": \"\\ud82d\\ude00", "Invalid \\uXXXX escape: line 1 column 15 (char 14)"),
        ("\"\\ud82d\\ude0", "Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
    ])
    func escapeEndingTheText(_ input: String, _ message: String) throws {
        #expect(throws: PythonException("JSONDecodeError", message)) { try JSONValue.parsePython(input) }
        do {
            _ = try PythonJSON.loads(input)
            Issue.record("PythonJSON.loads read an escape CPython refuses")
        } catch let error as PythonJSON.DecodeError {
            #expect(error.description == message)
        } catch {
            Issue.record("PythonJSON.loads threw \(type(of: error))")
        }
        // A closed pair still combines.
        #expect(try PythonJSON.loads("\"\\ud82d\\ude00\"").value == .string("\u{1B600}"))
    }

    @Test func aLoneSurrogateBecomesTheReplacementCharacter() throws {
        // CPython keeps '\ud800' in its str; a Swift String cannot, so it is U+FFFD.
        #expect(try JSONValue.parsePython("\"a\\ud800b\"") == .string("a\u{FFFD}b"))
        #expect(try JSONValue.parsePython("\"\\udc00\\ud800\"") == .string("\u{FFFD}\u{FFFD}"))
    }

    @Test func hugeIntegersStayExactUpToPythonsDigitLimit() throws {
        let digits = String(repeating: "9", count: 4300)
        #expect(try JSONValue.parsePython(digits) == .integer(digits))
        #expect(throws: PythonException(
            "ValueError",
            "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit"
        )) { try JSONValue.parsePython(digits + "9") }
        // A float with a huge mantissa is still a float.
        #expect(try JSONValue.parsePython(digits + ".5") == .float(.infinity))
    }

    /// Both of Strata's `json.loads` (to `JSONValue` and to `PythonValue`) stop at the same
    /// nesting with CPython's own message: 990 containers parse, 991 do not (Airflow 3.3.2 on
    /// Python 3.11 fails at 982-993 depending on the caller's stack; see `maximumDepth`).
    @Test(arguments: [("[", "]", "array"), ("{\"a\":", "}", "object")])
    func bothScannersShareOneRecursionLimitAndMessage(open: String, close: String, kind: String) throws {
        func document(_ depth: Int) -> String {
            String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
        }
        let limit = PythonJSONDecoding.maximumDepth
        #expect(limit == 990)
        _ = try JSONValue.parsePython(document(limit))
        _ = try PythonJSON.loads(document(limit))
        let expected = PythonException("RecursionError", "maximum recursion depth exceeded while decoding a JSON \(kind) from a unicode string")
        #expect(throws: expected) { try JSONValue.parsePython(document(limit + 1)) }
        #expect(throws: expected) { try PythonJSON.loads(document(limit + 1)) }
        // A scalar inside the deepest container is not one more level (CPython counts containers).
        _ = try PythonJSON.loads(String(repeating: "[", count: limit) + "\"s\"" + String(repeating: "]", count: limit))
    }

    @Test func deepNestingRaisesRecursionErrorInsteadOfOverflowingTheStack() throws {
        let depth = 100_000
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: PythonException("RecursionError", "maximum recursion depth exceeded while decoding a JSON array from a unicode string")) {
            try JSONValue.parsePython(deep)
        }
        let deepObject = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(throws: PythonException("RecursionError", "maximum recursion depth exceeded while decoding a JSON object from a unicode string")) {
            try JSONValue.parsePython(deepObject)
        }
        // Nesting below the limit parses.
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONValue.parsePython(fine) }
    }

    @Test func truncatedDocumentsNeverParse() {
        let document = "{\"conn_type\": \"postgres\", \"extra\": {\"a\": [1, 2.5, \"x\\u00e9\"]}, \"port\": 5432}"
        #expect(throws: Never.self) { try JSONValue.parsePython(document) }
        var prefix = ""
        for character in document.dropLast() {
            prefix.append(character)
            #expect(throws: PythonException.self, "prefix of length \(prefix.count)") { try JSONValue.parsePython(prefix) }
        }
    }

    @Test func duplicateKeysKeepTheFirstPositionAndTheLastValue() throws {
        guard case .object(let object) = try JSONValue.parsePython("{\"b\": 1, \"a\": 2, \"b\": 3}") else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .integer("3"))
    }
}
