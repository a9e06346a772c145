import CNcursesw
import Foundation
import XCTest
@testable import TerminalUI
import ViewModel

final class KeyDecoderTests: XCTestCase {
    func testControlCharactersBecomeNamedKeys() {
        XCTAssertEqual(KeyDecoder.decode(character: 0x1B), .key(.escape))
        XCTAssertEqual(KeyDecoder.decode(character: 0x0D), .key(.enter))
        XCTAssertEqual(KeyDecoder.decode(character: 0x09), .key(.tab))
        XCTAssertEqual(KeyDecoder.decode(character: 0x7F), .key(.backspace))
        XCTAssertEqual(KeyDecoder.decode(character: 0x03), .key(.ctrl("c")))
        XCTAssertEqual(KeyDecoder.decode(character: 0x15), .key(.ctrl("u")))
    }

    func testPrintableCharactersIncludingCJKAreCharacters() {
        XCTAssertEqual(KeyDecoder.decode(character: UInt32(UInt8(ascii: "j"))), .key(.char("j")))
        XCTAssertEqual(KeyDecoder.decode(character: 0x6570), .key(.char("数")))
    }

    func testFunctionKeysAndResize() {
        XCTAssertEqual(KeyDecoder.decode(function: KEY_DOWN), .key(.down))
        XCTAssertEqual(KeyDecoder.decode(function: KEY_NPAGE), .key(.pageDown))
        XCTAssertEqual(KeyDecoder.decode(function: KEY_BTAB), .key(.backTab))
        XCTAssertEqual(KeyDecoder.decode(function: KEY_RESIZE), .resize)
        XCTAssertEqual(KeyDecoder.decode(function: cn_key_f(1)), .key(.function(1)))
    }
}

final class ClipboardTests: XCTestCase {
    func testOSC52CarriesTheTextInBase64AndNothingElse() {
        let sequence = Clipboard.osc52("postgres://a:b@h/数")
        XCTAssertTrue(sequence.hasPrefix("\u{1b}]52;c;"))
        XCTAssertTrue(sequence.hasSuffix("\u{07}"))
        let payload = sequence.dropFirst(7).dropLast()
        XCTAssertEqual(Data(base64Encoded: String(payload)).map { String(decoding: $0, as: UTF8.self) }, "postgres://a:b@h/数")
        XCTAssertFalse(sequence.contains("postgres"), "the value never appears in clear in the sequence")
    }
}

final class PaletteTests: XCTestCase {
    func testColoursBeyondTheTerminalsRangeFallBackToTheNearestBasicColour() {
        XCTAssertEqual(Palette.colourNumber(.indexed(196), colours: 8), 1, "bright red becomes red")
        XCTAssertEqual(Palette.colourNumber(.indexed(196), colours: 256), 196)
        XCTAssertEqual(Palette.colourNumber(.terminalDefault, colours: 256), -1)
        XCTAssertEqual(Palette.colourNumber(.indexed(244), colours: 16), 8, "mid grey becomes bright black")
    }
}

