import Engine
import XCTest
@testable import ViewModel

final class DisplayWidthTests: XCTestCase {
    func testASCIIAndLatinTakeOneColumnEach() {
        XCTAssertEqual(DisplayWidth.of("my_postgres"), 11)
        XCTAssertEqual(DisplayWidth.of("émigré café"), 11)
    }

    func testCJKAndEmojiTakeTwoColumns() {
        XCTAssertEqual(DisplayWidth.of("数据库"), 6)
        XCTAssertEqual(DisplayWidth.of("こんにちは"), 10)
        XCTAssertEqual(DisplayWidth.of("🚀"), 2)
        XCTAssertEqual(DisplayWidth.of("✅"), 2)
        XCTAssertEqual(DisplayWidth.of("한국"), 4)
        XCTAssertEqual(DisplayWidth.of("ｗｉｄｅ"), 8)
    }

    func testTextPresentationSymbolsTakeOneColumn() {
        XCTAssertEqual(DisplayWidth.of("❤"), 1)
        XCTAssertEqual(DisplayWidth.of("⚠"), 1)
        XCTAssertEqual(DisplayWidth.of("▶"), 1)
    }

    func testCombiningMarksAndJoinersTakeNoColumn() {
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)
        XCTAssertEqual(DisplayWidth.of("\u{FE0F}"), 0)
        XCTAssertEqual(DisplayWidth.of("\u{200D}"), 0)
        XCTAssertEqual(DisplayWidth.of("\u{200B}"), 0)
    }

    func testCellsAttachZeroWidthScalarsToThePreviousCharacterAsNcursesDoes() {
        let cells = DisplayWidth.cells(of: "e\u{301}数")
        XCTAssertEqual(cells.map(\.text), ["e\u{301}", "数"])
        XCTAssertEqual(cells.map(\.width), [1, 2])
    }

    func testTruncationNeverSplitsAWideCharacter() {
        XCTAssertEqual(DisplayWidth.truncate("数据库密码", to: 6), "数据…")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.truncate("数据库密码", to: 6)), 5)
        XCTAssertEqual(DisplayWidth.pad("数据", to: 6), "数据  ")
        XCTAssertEqual(DisplayWidth.truncate("short", to: 10), "short")
    }
}

final class InertTextTests: XCTestCase {
    func testEscapeSequencesAndBidiOverridesAreShownNotSent() {
        XCTAssertEqual(InertText.make("a\u{1b}[2Jb"), "a\\x1b[2Jb")
        XCTAssertEqual(InertText.make("evil\u{202E}txt"), "evil\\u{202e}txt")
        XCTAssertEqual(InertText.make("two\nlines\t"), "two\\x0alines\\x09")
        XCTAssertEqual(InertText.make("\u{9b}31m"), "\\x9b31m")
    }

    func testOrdinaryTextIsUnchanged() {
        XCTAssertEqual(InertText.make("数据库 🚀 café"), "数据库 🚀 café")
    }
}
