@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// The `.env` fast path of the local-files backend gives exactly the entries Airflow's
/// `_parse_env_file` gives (keys, values, lines, order), and declines — leaving the general
/// path to decide, errors included — on every line shape it does not handle.
@Suite("LocalFilesystemBackend .env: fast path agrees with the general path")
struct LocalFilesystemEnvFastPathTests {
    /// (key, value, line) of each entry from the general parser, single values unwrapped.
    static func general(_ text: String) -> [String]? {
        let (entries, errors) = LocalFilesystemFile.parseEnv(text)
        guard errors.isEmpty else { return nil }
        var result: [String] = []
        for entry in entries {
            guard case .list(let values) = entry.value, values.count == 1 else { return nil }
            result.append("\(entry.key.pythonRepr)=\(values[0].pythonRepr)@\(entry.line ?? -1)")
        }
        return result
    }

    static func fast(_ text: String) -> [String]? {
        LocalFilesystemFile.fastEnvEntries(text)?.map { "\($0.key.pythonRepr)=\($0.value.pythonRepr)@\($0.line ?? -1)" }
    }

    static let taken: [String] = [
        "A=1\nB=2\n",
        "A=1\nB=2",
        "\n\n# comment\n  # indented comment\n\tA= spaced value \nB==x\n",
        " KEY WITH SPACE=v\n",
        "URI=postgres://u:p@h:5432/db?a=b#frag\n",
        "café=crème brûlée £5\n",
        "A=1\n#=not a key\n\n\nB=2\n",
    ]

    static let declined: [String] = [
        "A=1\nA=2\n",          // several values: VariableNotUnique / ConnectionNotUnique
        "A=1\nno equals\n",     // Invalid line format
        "=v\n",                 // Key is empty
        "A=\n",                 // Value is empty
        "   \n",                // blank but not empty: an error line
        "A=1\u{0B}B=2\n",       // \v splits lines in Python
        "A=1\u{1C}B=2\n",
        "A=x\u{85}B=2\n",       // NEL
        "A=x\u{2028}B=2\n",     // LINE SEPARATOR
        "\u{A0}# NBSP is whitespace to Python's \\s\n",
        "\u{FEFF}A=1\n",        // a BOM stays part of the first key
    ]

    @Test(arguments: taken)
    func theFastPathTakesCommonFilesAndAgrees(text: String) throws {
        let fast = try #require(Self.fast(text), "the fast path should take this file")
        #expect(fast == Self.general(text))
    }

    @Test(arguments: declined)
    func theFastPathDeclinesEverythingElse(text: String) {
        #expect(Self.fast(text) == nil)
    }

    @Test func theFixtureEnvFilesAgree() throws {
        let folder = Fixtures.url("local-filesystem")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".env") }
        #expect(!names.isEmpty)
        for name in names {
            let text = try PythonTextFile.read(path: folder.appendingPathComponent(name).path)
            if let fast = Self.fast(text) {
                let same = fast == Self.general(text) // only the verdict is printed, never fixture values
                #expect(same, "\(name)")
            }
        }
    }
}
