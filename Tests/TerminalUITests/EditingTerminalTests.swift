import Foundation
import XCTest
@testable import TerminalUI
import ViewModel

final class PasteAssemblerTests: XCTestCase {
    private func feed(_ inputs: [TerminalInput], flushing: Bool = true) -> [AssembledInput] {
        var assembler = PasteAssembler()
        var out = inputs.flatMap { assembler.feed($0) }
        if flushing && !assembler.isInsidePaste { out += assembler.flush() }
        return out
    }

    private func keys(_ text: String) -> [TerminalInput] {
        text.map { $0 == "\u{1B}" ? .key(.escape) : $0 == "\n" ? .key(.enter) : .key(.char($0)) }
    }

    func testABracketedPasteArrivesAsOneText() {
        let out = feed(keys("\u{1B}[200~postgres://u:p@h:5432/db\n\u{1B}[201~"))
        XCTAssertEqual(out, [.paste("postgres://u:p@h:5432/db\n")])
    }

    func testKeysAroundAPastePassThrough() {
        let out = feed(keys("j\u{1B}[200~abc\u{1B}[201~k"))
        XCTAssertEqual(out, [.key(.char("j")), .paste("abc"), .key(.char("k"))])
    }

    func testALoneEscIsAKeyOnceNoMoreInputWaits() {
        XCTAssertEqual(feed([.key(.escape)]), [.key(.escape)])
        XCTAssertEqual(feed(keys("\u{1B}[2")), [.key(.escape), .key(.char("[")), .key(.char("2"))])
    }

    func testEscFollowedByOtherKeysIsNotAPaste() {
        XCTAssertEqual(feed(keys("\u{1B}q")), [.key(.escape), .key(.char("q"))])
        XCTAssertEqual(feed(keys("\u{1B}\u{1B}[200~x\u{1B}[201~")), [.key(.escape), .paste("x")])
    }

    func testAPasteSplitAcrossReadsWaitsForItsEnd() {
        var assembler = PasteAssembler()
        var out = keys("\u{1B}[200~abc").flatMap { assembler.feed($0) }
        XCTAssertTrue(assembler.isInsidePaste)
        XCTAssertEqual(out, [])
        out = keys("def\u{1B}[201~").flatMap { assembler.feed($0) }
        XCTAssertEqual(out, [.paste("abcdef")])
    }
}

final class ExternalEditorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-editor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testVisualWinsOverEditorAndViIsTheFallback() {
        XCTAssertEqual(ExternalEditor.command(environment: ["VISUAL": "nano", "EDITOR": "vim"]), "nano")
        XCTAssertEqual(ExternalEditor.command(environment: ["VISUAL": " ", "EDITOR": "vim -u NONE"]), "vim -u NONE")
        XCTAssertEqual(ExternalEditor.command(environment: [:]), "vi")
    }

    func testTheEditorEditsAPrivateFileThatIsRemovedAfterwards() throws {
        // A scripted "editor": records the file's mode, then rewrites the host.
        let modeFile = directory.appendingPathComponent("mode").path
        let command = "stat -c %a \"$1\" > '\(modeFile)'; sed -i 's/db.internal/db2.internal/'"
        var suspended = false
        let result = ExternalEditor.edit("postgres://etl@db.internal:5432/x\n", suffix: ".uri", command: command,
                                         directory: directory) { run in
            suspended = true
            return run()
        }
        XCTAssertTrue(suspended, "the terminal is handed over while the editor runs")
        XCTAssertNil(result.problem)
        XCTAssertEqual(result.text, "postgres://etl@db2.internal:5432/x\n")
        XCTAssertEqual(try String(contentsOfFile: modeFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "600")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("strata-edit-") }
        XCTAssertEqual(left, [], "the temp file is deleted")
    }

    func testAFailingEditorReadsNothingBackAndStillRemovesTheFile() throws {
        let result = ExternalEditor.edit("secret-ish", suffix: ".txt", command: "false", directory: directory)
        XCTAssertNil(result.text)
        XCTAssertEqual(result.problem, "the editor (false) exited with status 1; nothing read back")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(left, [])
    }
}
