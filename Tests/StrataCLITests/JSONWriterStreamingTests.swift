import Engine
import PythonCompat
@testable import StrataCLI
import Testing

/// `strata list --json` writes its array entry by entry; the text must be exactly what
/// rendering the whole array at once gives.
@Suite("JSON arrays written entry by entry")
struct JSONWriterStreamingTests {
    static func streamed(_ items: [JSONValue]) -> (text: String, pieces: Int) {
        var text = ""
        var pieces = 0
        JSONWriter.writeArray(items, { $0 }) { text += $0; pieces += 1 }
        return (text, pieces)
    }

    @Test func anEmptyArrayAndASmallOneMatchTheWholeRendering() {
        #expect(Self.streamed([]).text == JSONWriter.render(.array([])))
        let small: [JSONValue] = [.string("a\u{1B}b"), .null, .object(JSONObject([("k", .array([.bool(true), .integer("7")]))])), .array([])]
        #expect(Self.streamed(small).text == JSONWriter.render(.array(small)))
    }

    @Test func aLargeArrayComesInPiecesThatJoinToTheWholeRendering() {
        let large = (0..<20_000).map { JSONValue.object(JSONObject([("id", .string("key_\($0)")), ("n", .integer(String($0)))])) }
        let (text, pieces) = Self.streamed(large)
        #expect(pieces > 1)
        #expect(text == JSONWriter.render(.array(large)))
    }
}
