@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// The fast path for JSON variables files of the common shape (an object of strings) gives
/// exactly what `json.loads` through the general path gives — keys, values, lines, order — and
/// declines on everything else, so errors and unusual values still come from the general path.
@Suite("LocalFilesystemBackend variables: JSON fast path agrees with the general path")
struct LocalFilesystemJSONVariablesFastPathTests {
    static func describe(_ entries: [LocalFilesystemFile.Entry]) -> [String] {
        entries.map { "\($0.key.pythonRepr)=\($0.value.pythonRepr)@\($0.line ?? -1)" }
    }

    static func general(_ text: String) throws -> [String]? {
        let (entries, errors) = try LocalFilesystemFile.parseJSON(text)
        return errors.isEmpty ? describe(entries) : nil
    }

    static let taken: [String] = [
        "{\"a\": \"1\", \"b\": \"two\"}",
        "{\n  \"a\": \"x\",\n\n  \"b\"  :  \"y\"\n}\n",
        "{\"esc\": \"tab\\tquote\\\" unicode \\u00e9 \\ud83d\\ude00 slash \\/\"}",
        "{\"raw\": \"café ☕\"}",
        "{\"empty\": \"\"}",
    ]

    static let declined: [String] = [
        "{}",
        "{\"a\": 1}",
        "{\"a\": true}",
        "{\"a\": null}",
        "{\"a\": [\"x\"]}",
        "{\"a\": {\"b\": \"c\"}}",
        "{\"a\": \"1\", \"a\": \"2\"}",
        "{\"caf\u{e9}\": \"x\"}",
        "{\"esc\\u0061ped\": \"x\"}",
        "{\"a\": \"line\nbreak\"}",
        "\u{FEFF}{\"a\": \"x\"}",
        "{\"a\": \"x\",}",
        "{\"a\": \"x\"} trailing",
        "[\"a\"]",
    ]

    @Test(arguments: taken)
    func theFastPathTakesObjectsOfStringsAndAgrees(text: String) throws {
        let fast = try #require(LocalFilesystemFile.fastJSONVariableEntries(text), "the fast path should take this file")
        #expect(Self.describe(fast) == (try Self.general(text)))
    }

    @Test(arguments: declined)
    func theFastPathDeclinesEverythingElse(text: String) {
        #expect(LocalFilesystemFile.fastJSONVariableEntries(text) == nil)
    }

    @Test func theFixtureJSONVariablesFilesAgreeThroughTheTier() throws {
        let folder = Fixtures.url("local-filesystem")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("variables") && $0.hasSuffix(".json") && !$0.hasSuffix(".expected.json") }
        #expect(!names.isEmpty)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            for rules in [LocalFilesystemFile.Rules.current, .airflow2] {
                let fast = Result { try LocalFilesystemFile.loadVariables(path: path, rules: rules, fastPath: true) }
                let general = Result { try LocalFilesystemFile.loadVariables(path: path, rules: rules, fastPath: false) }
                switch (fast, general) {
                case (.success(let a), .success(let b)):
                    // Compared as reprs (NaN equals NaN there); only the verdict is printed.
                    let same = a.map { "\($0.key.pythonRepr)=\($0.value.pythonRepr)@\($0.line ?? -1)" }
                        == b.map { "\($0.key.pythonRepr)=\($0.value.pythonRepr)@\($0.line ?? -1)" }
                    #expect(same, "\(name)")
                case (.failure(let a), .failure(let b)): #expect(String(describing: a) == String(describing: b), "\(name)")
                default: Issue.record("\(name): one path failed and the other did not")
                }
            }
        }
    }
}
