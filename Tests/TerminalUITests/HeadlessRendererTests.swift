import CNcursesw
import Foundation
import Engine
import XCTest
@testable import TerminalUI
import ViewModel

/// The renderer against a real ncurses screen that draws into /dev/null: what ncurses holds
/// afterwards is read back cell by cell.
final class HeadlessRendererTests: XCTestCase {
    override class func setUp() {
        super.setUp()
        setlocale(LC_ALL, "C.UTF-8")
    }

    /// The text ncurses holds in row `y` (wide characters once).
    private func screenRow(_ y: Int, columns: Int) -> String {
        var text = ""
        var glyph = cchar_t()
        var x = 0
        while x < columns {
            _ = mvwin_wch(cn_stdscr(), Int32(y), Int32(x), &glyph)
            var chars = [wchar_t](repeating: 0, count: 8)
            var attrs: attr_t = 0
            var pair: Int16 = 0
            _ = getcchar(&glyph, &chars, &attrs, &pair, nil)
            let scalars = chars.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
            let cell = String(String.UnicodeScalarView(scalars))
            text += cell
            x += max(1, DisplayWidth.of(cell))
        }
        return text
    }

    private func attributes(x: Int, y: Int) -> (attr_t, Int16) {
        var glyph = cchar_t()
        _ = mvwin_wch(cn_stdscr(), Int32(y), Int32(x), &glyph)
        var chars = [wchar_t](repeating: 0, count: 8)
        var attrs: attr_t = 0
        var pair: Int16 = 0
        _ = getcchar(&glyph, &chars, &attrs, &pair, nil)
        return (attrs, pair)
    }

    private func sampleFrame(_ size: Size) -> Frame {
        var frame = Frame(size: size)
        frame.box(Rect(x: 0, y: 0, width: size.columns, height: size.rows), title: "数据 🔑", focused: true)
        frame.put("▶ 数据库密码 émigré", x: 1, y: 1, role: .selection)
        frame.put("🚀 ok", x: 1, y: 2, role: .ok)
        return frame
    }

    func testTheScreenHoldsTheFramesTextWithWideCharactersInPlace() throws {
        let size = Size(columns: 30, rows: 5)
        let terminal = try Terminal(headless: size)
        defer { terminal.close() }
        XCTAssertEqual(terminal.size, size)
        var renderer = FrameRenderer(palette: Palette(theme: BuiltinThemes.fallback, colours: terminal.colourCount, maxPairs: Int(cn_color_pairs())))
        let frame = sampleFrame(size)
        renderer.draw(frame)
        for y in 0..<size.rows {
            XCTAssertEqual(screenRow(y, columns: size.columns), frame.textLines[y], "row \(y)")
        }
    }

    func testStylesBecomeAttributesAndColourPairs() throws {
        let size = Size(columns: 30, rows: 5)
        let terminal = try Terminal(headless: size)
        defer { terminal.close() }
        XCTAssertTrue(terminal.hasColour, "xterm-256color has colour")
        let palette = Palette(theme: BuiltinThemes.fallback, colours: terminal.colourCount, maxPairs: Int(cn_color_pairs()))
        var renderer = FrameRenderer(palette: palette)
        renderer.draw(sampleFrame(size))
        let (_, selectionPair) = attributes(x: 1, y: 1)
        XCTAssertEqual(selectionPair, palette.pairs[.selection])
        XCTAssertNotEqual(selectionPair, 0)
        var fg: Int16 = 0, bg: Int16 = 0
        pair_content(selectionPair, &fg, &bg)
        XCTAssertEqual(fg, 0, "selection is black on cyan in the default theme")
        XCTAssertEqual(bg, 6)
        let (titleAttrs, _) = attributes(x: 2, y: 0)
        XCTAssertNotEqual(titleAttrs & cn_a_bold(), 0, "the focused title is bold")
    }

    func testMonoDrawsWithAttributesOnly() throws {
        let size = Size(columns: 30, rows: 5)
        let terminal = try Terminal(headless: size)
        defer { terminal.close() }
        var renderer = FrameRenderer(palette: Palette(theme: BuiltinThemes.mono, colours: terminal.colourCount, maxPairs: Int(cn_color_pairs())))
        renderer.draw(sampleFrame(size))
        let (attrs, pair) = attributes(x: 1, y: 1)
        XCTAssertEqual(pair, 0)
        XCTAssertNotEqual(attrs & cn_a_reverse(), 0, "mono shows the selection in reverse video")
    }

    func testASecondFrameReplacesOnlyWhatChangedAndLeavesNoDebris() throws {
        let size = Size(columns: 20, rows: 3)
        let terminal = try Terminal(headless: size)
        defer { terminal.close() }
        var renderer = FrameRenderer(palette: Palette(theme: BuiltinThemes.mono, colours: 0, maxPairs: 0))
        var first = Frame(size: size)
        first.put("数据库 wide", x: 0, y: 1, role: .text)
        renderer.draw(first)
        var second = Frame(size: size)
        second.put("ab数 x", x: 1, y: 1, role: .text)
        renderer.draw(second)
        XCTAssertEqual(screenRow(1, columns: size.columns), second.textLines[1])
    }

    func testDisplayWidthAgreesWithGlibcWcwidth() {
        setlocale(LC_CTYPE, "C.UTF-8")
        var mismatches: [String] = []
        var checked = 0
        for value in UInt32(0x20)...UInt32(0x3FFFF) {
            guard let scalar = Unicode.Scalar(value), !InertText.needsEscape(scalar) else { continue }
            // Characters unassigned in either library's Unicode version have no agreed width.
            guard scalar.properties.generalCategory != .unassigned, scalar.properties.generalCategory != .privateUse,
                  scalar.properties.generalCategory != .surrogate else { continue }
            let glibc = Int(cn_wcwidth(wchar_t(bitPattern: value)))
            guard glibc >= 0 else { continue }
            checked += 1
            if glibc != DisplayWidth.of(scalar) {
                mismatches.append(String(value, radix: 16) + " glibc \(glibc) ours \(DisplayWidth.of(scalar))")
            }
        }
        XCTAssertGreaterThan(checked, 100_000)
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(400))")
    }
}
