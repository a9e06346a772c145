import Engine
import Foundation
import TestSupport
import XCTest
@testable import ViewModel

/// The TUI's log file is read in a terminal (`tail -f`): no line may carry a raw control.
final class LogFileTests: XCTestCase {
    func testEveryLineIsWrittenInertWhateverTheCallerPassed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = dir.url.appendingPathComponent("logs/tui.log")
        let log = LogFile(url: url)
        // What RunLoop writes for a copy, with an id from a hostile file.
        let hostileIDs = ["a\u{1B}]0;pwned\u{07}b", "c\rforged line", "d\u{08}\u{08}e", "nul\u{0}x", "c1\u{9B}31m",
                          "rtl\u{202E}evil", "iso\u{2066}x", "two\nlines"]
        for id in hostileIDs { log.write("copied the id \(id) to the clipboard") }
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, hostileIDs.count, "one line per write: a newline in an id cannot forge another")
        for line in lines {
            XCTAssertFalse(line.unicodeScalars.contains(where: InertText.needsEscape), String(line))
        }
        XCTAssertTrue(text.contains("a\\x1b]0;pwned\\x07b"))
        XCTAssertTrue(text.contains("rtl\\u{202e}evil"))
    }
}
