import Foundation
import XCTest
@testable import ViewModel

final class ThemeTests: XCTestCase {
    private var themesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
    }

    func testTheBuiltInThemesAreTheFilesInTheThemesFolder() throws {
        for name in BuiltinThemes.names {
            let file = try String(contentsOf: themesFolder.appendingPathComponent("\(name).theme"), encoding: .utf8)
            XCTAssertEqual(BuiltinThemes.source(named: name).map { $0 + "\n" }, file, "built-in copy of \(name) is stale")
        }
    }

    func testEveryBuiltInThemeParsesAndStylesEveryRole() throws {
        for name in BuiltinThemes.names {
            let theme = try Theme.parse(BuiltinThemes.source(named: name)!, name: name, file: name)
            for role in StyleRole.allCases {
                XCTAssertNotNil(theme.styles[role], "\(name) leaves \(role.rawValue) out")
            }
        }
    }

    func testMonoUsesNoColour() throws {
        let mono = BuiltinThemes.mono
        XCTAssertFalse(mono.usesColour)
        XCTAssertEqual(mono.style(for: .selection).attributes, [.reverse])
        XCTAssertTrue(mono.styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
    }

    func testAStyleReadsForegroundBackgroundAndAttributes() throws {
        let theme = try Theme.parse("selection = black on cyan bold underline\nmuted = 244\nprompt = on #005f87",
                                    name: "t", file: "t.theme")
        XCTAssertEqual(theme.style(for: .selection),
                       ThemeStyle(foreground: .indexed(0), background: .indexed(6), attributes: [.bold, .underline]))
        XCTAssertEqual(theme.style(for: .muted).foreground, .indexed(244))
        XCTAssertEqual(theme.style(for: .prompt).background, .indexed(24))
    }

    func testAPartialThemeKeepsItsBaseForRolesItLeavesOut() throws {
        let theme = try Theme.parse("base = light\nerror = red", name: "mine", file: "mine.theme")
        XCTAssertEqual(theme.style(for: .error), ThemeStyle(foreground: .indexed(1)))
        XCTAssertEqual(theme.style(for: .selection), BuiltinThemes.theme(named: "light")!.style(for: .selection))
    }

    func testABrokenThemeNamesTheFileTheLineAndTheProblem() {
        XCTAssertThrowsError(try Theme.parse("# ok\ntext = default\nselection = purpleish", name: "b", file: "b.theme")) { error in
            let error = error as? ThemeError
            XCTAssertEqual(error?.file, "b.theme")
            XCTAssertEqual(error?.line, 3)
            XCTAssertTrue(error?.message.contains("'purpleish' is not a colour") == true, error?.message ?? "")
        }
        XCTAssertThrowsError(try Theme.parse("\n\nsparkles = red", name: "b", file: "b.theme")) { error in
            XCTAssertEqual((error as? ThemeError)?.line, 3)
            XCTAssertTrue((error as? ThemeError)?.message.contains("unknown style role 'sparkles'") == true)
        }
        XCTAssertThrowsError(try Theme.parse("just words", name: "b", file: "b.theme")) { error in
            XCTAssertEqual((error as? ThemeError)?.description.hasPrefix("b.theme:1: expected"), true)
        }
    }

    func testHexColoursMapToTheNearestXtermColour() {
        XCTAssertEqual(Theme.parseColour("#000000"), .indexed(16))
        XCTAssertEqual(Theme.parseColour("#ff0000"), .indexed(196))
        XCTAssertEqual(Theme.parseColour("#808080"), .indexed(244))
    }
}
