import Engine
import Foundation
import TestSupport
import XCTest
@testable import ViewModel

final class ThemeLoaderTests: XCTestCase {
    private func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    func testNoColorAlwaysGivesMono() {
        let (theme, problem) = ThemeLoader.load("light", environment: ["NO_COLOR": "1"], searchDirectories: [])
        XCTAssertEqual(theme.name, "mono")
        XCTAssertNil(problem)
    }

    func testBuiltInThemesNeedNoFiles() {
        let (theme, problem) = ThemeLoader.load("high-contrast", environment: [:], searchDirectories: [])
        XCTAssertEqual(theme.name, "high-contrast")
        XCTAssertNil(problem)
    }

    func testAThemeFileInASearchFolderWinsAndKeepsItsBaseForMissingRoles() throws {
        let dir = try folder(["ocean.theme": "selection = white on 24\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let (theme, problem) = ThemeLoader.load("ocean", environment: [:], searchDirectories: [dir])
        XCTAssertNil(problem)
        XCTAssertEqual(theme.name, "ocean")
        XCTAssertEqual(theme.style(for: .selection).background, .indexed(24))
        XCTAssertEqual(theme.style(for: .error), BuiltinThemes.fallback.style(for: .error))
    }

    func testABrokenThemeFileFallsBackToTheDefaultAndSaysWhichLine() throws {
        let dir = try folder(["broken.theme": "text = default\n\nmuted = chartreuse-ish\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let (theme, problem) = ThemeLoader.load("broken", environment: [:], searchDirectories: [dir])
        XCTAssertEqual(theme, BuiltinThemes.fallback)
        XCTAssertTrue(problem?.contains("broken.theme:3:") == true, problem ?? "")
        XCTAssertTrue(problem?.contains("using the default theme") == true)
    }

    func testAFIFONamedAsTheThemeFallsBackAtOnceSayingWhatItIs() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.theme")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        // Opening it for reading would wait for a writer: the check refuses it before that.
        let (theme, problem) = ThemeLoader.load(fifo.path, environment: [:], searchDirectories: [])
        XCTAssertEqual(theme, BuiltinThemes.fallback)
        XCTAssertTrue(problem?.contains("FIFO") == true, problem ?? "")
        XCTAssertTrue(problem?.contains("using the default theme") == true)
    }

    func testAThemeFileThatIsNotUTF8FallsBackSayingSo() throws {
        let dir = try folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data([0x74, 0x65, 0x78, 0x74, 0x20, 0x3D, 0x20, 0xFF, 0x0A]).write(to: dir.appendingPathComponent("latin.theme"))
        let (theme, problem) = ThemeLoader.load("latin", environment: [:], searchDirectories: [dir])
        XCTAssertEqual(theme, BuiltinThemes.fallback)
        XCTAssertTrue(problem?.contains("not UTF-8") == true, problem ?? "")
    }

    func testAnUnknownNameFallsBackToTheDefaultWithTheChoices() {
        let (theme, problem) = ThemeLoader.load("sparkly", environment: [:], searchDirectories: [])
        XCTAssertEqual(theme, BuiltinThemes.fallback)
        XCTAssertTrue(problem?.contains("default, light, high-contrast, mono") == true)
    }

    func testTheRepositorysThemesFolderIsFoundFromTheBuildFolder() {
        let dirs = ThemeLoader.defaultDirectories(environment: [:])
        XCTAssertTrue(dirs.contains { FileManager.default.fileExists(atPath: $0.appendingPathComponent("light.theme").path) },
                      "a themes folder above the test binary (the repository's) is searched")
    }

    func testTheFlagBeatsTheEnvironmentWhichBeatsTheWorkspace() {
        func requested(flag: String?, environment: [String: String], workspace: String?) -> String? {
            AppConfiguration(deployments: [], initialDeployment: nil, context: .server, formats: .unavailable,
                             theme: flag, workspaceTheme: workspace).requestedTheme(environment: environment)
        }
        XCTAssertEqual(requested(flag: "light", environment: ["STRATA_THEME": "mono"], workspace: "x"), "light")
        XCTAssertEqual(requested(flag: nil, environment: ["STRATA_THEME": "mono"], workspace: "x"), "mono")
        XCTAssertEqual(requested(flag: nil, environment: [:], workspace: "x"), "x")
        XCTAssertNil(requested(flag: nil, environment: [:], workspace: nil))
    }
}
