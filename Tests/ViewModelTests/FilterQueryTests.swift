import Engine
import XCTest
@testable import ViewModel

final class FilterQueryTests: XCTestCase {
    func testWordsAndTokensAreReadApart() {
        let query = FilterQuery("@env post @shadowed conn:my @differs")
        XCTAssertEqual(query.winners, [.env])
        XCTAssertTrue(query.shadowed)
        XCTAssertTrue(query.differs)
        XCTAssertEqual(query.kind, .connection)
        XCTAssertEqual(query.words, [Array("post".utf8), Array("my".utf8)])
        XCTAssertTrue(query.unknownTokens.isEmpty)
    }

    func testUnknownTokensAreReported() {
        XCTAssertEqual(FilterQuery("@nope").unknownTokens, ["@nope"])
    }

    func testSubstringSearchIsByteExact() {
        XCTAssertTrue(FilterQuery.contains(Array("数据库密码".utf8), Array("库密".utf8)))
        XCTAssertFalse(FilterQuery.contains(Array("abc".utf8), Array("abcd".utf8)))
        XCTAssertTrue(FilterQuery.contains(Array("aab".utf8), Array("ab".utf8)))
    }
}
