import XCTest
@testable import ViewModel

final class FrameTests: XCTestCase {
    func testAWideCharacterFillsTwoCellsWithAContinuation() {
        var frame = Frame(size: Size(columns: 6, rows: 1))
        let end = frame.put("a数b", x: 0, y: 0, role: .text)
        XCTAssertEqual(end, 4)
        XCTAssertEqual(frame[1, 0].text, "数")
        XCTAssertTrue(frame[2, 0].isContinuation)
        XCTAssertEqual(frame.textLines, ["a数b  "])
    }

    func testAWideCharacterThatWouldCrossTheEdgeBecomesASpace() {
        var frame = Frame(size: Size(columns: 4, rows: 1))
        frame.put("abc数", x: 0, y: 0, role: .value)
        XCTAssertEqual(frame.textLines, ["abc "])
        XCTAssertFalse(frame.cells.contains { $0.isContinuation })
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var frame = Frame(size: Size(columns: 4, rows: 1))
        frame.put("数据", x: 0, y: 0, role: .text)
        frame.put("x", x: 1, y: 0, role: .text)
        XCTAssertEqual(frame.textLines, [" x据"])
        frame.put("y", x: 2, y: 0, role: .text)
        XCTAssertEqual(frame.textLines, [" xy "])
    }

    func testTheStyleLayerListsRunsOfRolesOtherThanText() {
        var frame = Frame(size: Size(columns: 8, rows: 2))
        frame.put("ab", x: 1, y: 1, role: .error)
        XCTAssertEqual(frame.styleLines, ["1: 1-2 error"])
    }

    func testABoxCarriesItsTitleAndFocusRole() {
        var frame = Frame(size: Size(columns: 12, rows: 3))
        frame.box(Rect(x: 0, y: 0, width: 12, height: 3), title: "数据", focused: true)
        XCTAssertEqual(frame.textLines[0], "┌ 数据 ────┐")
        XCTAssertEqual(frame[0, 0].role, .borderFocused)
        XCTAssertEqual(frame[2, 0].role, .titleFocused)
    }
}
