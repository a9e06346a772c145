import Engine
import Testing

/// `get_uri()` writes an extra as a query string only when it decodes to a non-empty dict of
/// `str` values; the expected URIs below were printed by Airflow 3.3.2's
/// `Connection(conn_type="t", host="h", extra=…).get_uri()`.
@Suite("get_uri() of decoded extras")
struct ExtraQueryPairsTests {
    private func uri(extra: String, dialect: ConnectionDialect = .core) throws -> String {
        try Connection(connType: "t", host: "h", extra: extra).uri(dialect: dialect)
    }

    @Test func aDuplicateKeyKeepsItsFirstPositionAndItsLastValue() throws {
        #expect(try uri(extra: #"{"a": 1, "a": "x"}"#) == "t://h/?a=x")
        #expect(try uri(extra: #"{"a": "x", "a": 1}"#) == "t://h/?__extra__=%7B%22a%22%3A+%22x%22%2C+%22a%22%3A+1%7D")
    }

    @Test func aLargeDictWithARepeatedKeyKeepsPythonsOrder() throws {
        let members = (0..<20).map { #""k\#($0)": "v\#($0)""# } + [#""k3": "again""#]
        let expected = "t://h/?" + (0..<20).map { $0 == 3 ? "k3=again" : "k\($0)=v\($0)" }.joined(separator: "&")
        #expect(try uri(extra: "{" + members.joined(separator: ", ") + "}") == expected)
    }

    @Test func keysThatDifferOnlyInTheirCodePointsStayTwoKeys() throws {
        // Python's str keys compare code points; Swift's == would merge these two.
        #expect(try uri(extra: #"{"caf\u00e9": "1", "cafe\u0301": "2"}"#) == "t://h/?caf%C3%A9=1&cafe%CC%81=2")
        for count in [3, 20] {
            let members = (0..<count).map { #""k\#($0)": "v\#($0)""# } + [#""cafe\u0301": "x""#, #""caf\u00e9": "y""#]
            let expected = "t://h/?" + (0..<count).map { "k\($0)=v\($0)" }.joined(separator: "&") + "&cafe%CC%81=x&caf%C3%A9=y"
            #expect(try uri(extra: "{" + members.joined(separator: ", ") + "}") == expected, "\(count) keys")
        }
    }

    @Test func aNestedValueOrAReservedCharacterIsWrittenAsPythonWrites() throws {
        #expect(try uri(extra: #"{"n": {"a": "b"}}"#) == "t://h/?__extra__=%7B%22n%22%3A+%7B%22a%22%3A+%22b%22%7D%7D")
        #expect(try uri(extra: #"{"a": "b c&d"}"#) == "t://h/?a=b+c%26d")
    }

    @Test func coreRefusesWhatTheOtherParsersWriteAsExtra() throws {
        #expect(throws: AirflowError.self) { try uri(extra: "[1]") }
        #expect(throws: AirflowError.self) { try uri(extra: "{not json") }
        #expect(try uri(extra: "[1]", dialect: .sdk) == "t://h/?__extra__=%5B1%5D")
        #expect(try uri(extra: "{not json", dialect: .sdk) == "t://h/?__extra__=%7Bnot+json")
    }
}
