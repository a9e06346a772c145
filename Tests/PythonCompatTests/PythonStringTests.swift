@testable import PythonCompat
import Testing

@Suite("Python str semantics")
struct PythonStringTests {
    @Test func upperIsUnicodeFullMappingWithoutLocale() {
        #expect("straße".pythonUpper == "STRASSE")
        #expect("ﬁle".pythonUpper == "FILE")
        #expect("ı".pythonUpper == "I")
        #expect("i".pythonUpper == "I", "no Turkish dotted capital I")
        #expect("über-db.x/y".pythonUpper == "ÜBER-DB.X/Y")
        #expect("my_var".pythonUpper == "MY_VAR")
        #expect("ŉ".pythonUpper == "ʼN")
    }

    @Test func stripUsesPythonsWhitespace() {
        #expect("  \thttp://h.example/x\u{3000}\u{1F}".pythonStripped == "http://h.example/x")
        #expect("\u{A0}x\u{85}".pythonStripped == "x")
        #expect("\u{FEFF}x".pythonStripped == "\u{FEFF}x", "a BOM is not whitespace")
        #expect("\u{200B}x".pythonStripped == "\u{200B}x", "a zero-width space is not whitespace")
        #expect(" \u{1C}\u{2029} ".pythonStripped == "")
        #expect(" \u{1C} ".pythonIsSpace)
    }

    @Test func splitLinesUsesEverySeparatorPythonDoes() {
        let text = "a\nb\rc\r\nd\u{0B}e\u{0C}f\u{1C}g\u{1D}h\u{1E}i\u{85}j\u{2028}k\u{2029}l\u{1F}m"
        #expect(text.pythonSplitLines() == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l\u{1F}m"])
        #expect("".pythonSplitLines().isEmpty)
        #expect("x\n".pythonSplitLines() == ["x"])
        #expect("\n\nx".pythonSplitLines() == ["", "", "x"])
        #expect("é\u{2028}€".pythonSplitLines() == ["é", "€"])
    }

    @Test func reprAndStrOfPythonValues() {
        #expect(PythonValue.list([.int("1"), .string("two"), .float(3.0), .none, .bool(true)]).pythonStr == "[1, 'two', 3.0, None, True]")
        #expect(PythonValue.string("it's").pythonRepr == "\"it's\"")
        #expect(PythonValue.string("a\nb\\").pythonRepr == "'a\\nb\\\\'")
        #expect(PythonValue.float(1e16).pythonRepr == "1e+16")
        #expect(PythonValue.float(0.00001).pythonRepr == "1e-05")
        #expect(PythonValue.float(1500).pythonRepr == "1500.0")
        let date = PythonDate(year: 2024, month: 1, day: 31)
        #expect(PythonValue.date(date).pythonStr == "2024-01-31")
        #expect(PythonValue.datetime(PythonDateTime(date: date, hour: 12, minute: 30, second: 0, utcOffsetSeconds: 0)).pythonStr
                == "2024-01-31 12:30:00+00:00")
    }

    @Test func jsonDumpsMatchesPythonDefaults() throws {
        let value = PythonValue.dict(PythonDict([(.string("é"), .list([.int("1"), .float(.nan), .none])), (.int("2"), .bool(false))]))
        #expect(try value.pythonJSONDumps() == "{\"\\u00e9\": [1, NaN, null], \"2\": false}")
        #expect(throws: PythonException.self) { try PythonValue.date(PythonDate(year: 2024, month: 1, day: 1)).pythonJSONDumps() }
    }

    @Test func dictKeysFollowPythonEquality() {
        var dict = PythonDict()
        dict[.int("1")] = .string("a")
        dict[.bool(true)] = .string("b")
        dict[.float(1.0)] = .string("c")
        #expect(dict.count == 1)
        #expect(dict.keys == [.int("1")])
        #expect(dict[.int("1")] == .string("c"))
    }
}
