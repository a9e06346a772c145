@testable import PythonCompat
import Testing

/// The byte writer behind bulk JSON lines must spell every string as `json.dumps` does.
@Suite("json.dumps as bytes")
struct JSONDumpsBytesTests {
    private func bytesLiteral(_ text: String) -> String {
        var out: [UInt8] = []
        JSONValue.appendPythonJSONString(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesAsPythonsEnsureASCII() {
        #expect(bytesLiteral("plain text") == #""plain text""#)
        #expect(bytesLiteral("q\"b\\n\n\r\t\u{8}\u{C}") == #""q\"b\\n\n\r\t\b\f""#)
        #expect(bytesLiteral("\u{0}\u{1B}\u{7F}") == #""\u0000\u001b\u007f""#)
        #expect(bytesLiteral("é€") == #""\u00e9\u20ac""#)
        #expect(bytesLiteral("😀") == #""\ud83d\ude00""#, "beyond the BMP: a surrogate pair, as CPython writes")
    }

    @Test func agreesWithTheStringWriterOnEveryKindOfCharacter() {
        let samples = ["", "a", "\u{202E}x", "mixed é and \"quotes\" and \u{10FFFF}", String(repeating: "z", count: 300) + "\u{1}"]
        for sample in samples {
            var text = ""
            JSONValue.appendPythonJSONString(sample, into: &text)
            #expect(bytesLiteral(sample) == text)
        }
    }

    @Test func quotingTextAlreadyWrittenAsBytesGivesTheSameLiteral() {
        let samples = ["", "postgres://u:p%40@h:5432/db?x=1", "q\"b\\", "é€😀", "\u{0}\u{1B}\u{9B}\u{202E}", "tab\there"]
        for sample in samples {
            var out = Array("prefix ".utf8)
            let start = out.count
            out.append(contentsOf: sample.utf8)
            JSONValue.quotePythonJSONString(in: &out, from: start)
            #expect(String(decoding: out, as: UTF8.self) == "prefix " + bytesLiteral(sample))
        }
    }

    @Test func dumpsIntoBytesMatchesDumps() {
        let values: [JSONValue] = [.null, .integer("-12"), .string("é"), .bool(true), .float(1e16),
                                   .array([.integer("1"), .string("x")])]
        for value in values {
            var out: [UInt8] = []
            value.pythonDumps(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == value.pythonDumps())
        }
    }
}

extension JSONDumpsBytesTests {
    @Test func escapesBeforeTheFirstNonASCIICharacterAreWrittenOnce() {
        #expect(bytesLiteral("a\"b\\c\u{1}é\"") == #""a\"b\\c\u0001\u00e9\"""#)
        var out: [UInt8] = Array("prefix \"".utf8)
        JSONValue.appendPythonJSONString("x\"é", into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"prefix ""x\"\u00e9""#, "text before the literal is kept")
    }
}
