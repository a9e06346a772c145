@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// The fast path for flat YAML variables files must give exactly what the general path gives
/// (PyYAML's composer, resolver and constructor into a `PythonDict`, lines from the key marks):
/// the same keys, values with their Python types, lines and order, and — by declining — the
/// same errors.
@Suite("LocalFilesystemBackend variables: YAML fast path agrees with the general path")
struct LocalFilesystemVariablesFastPathTests {
    /// What loading a file gives, comparable as a whole (NaN compares equal to NaN, by bits).
    enum Outcome: Equatable, CustomStringConvertible {
        case loaded([LocalFileVariable])
        case failed(LocalFilesystemError)
        case other(String)

        static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            switch (lhs, rhs) {
            case (.loaded(let a), .loaded(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { x, y in
                    x.line == y.line && same(x.key, y.key) && same(x.value, y.value)
                }
            case (.failed(let a), .failed(let b)): return a == b
            case (.other(let a), .other(let b)): return a == b
            default: return false
            }
        }

        /// Equal values of the same Python type; floats by bit pattern, so NaN and -0.0 count.
        static func same(_ a: PythonValue, _ b: PythonValue) -> Bool {
            if case .float(let x) = a, case .float(let y) = b { return x.bitPattern == y.bitPattern }
            return a == b && a.pythonTypeName == b.pythonTypeName
        }

        var description: String {
            switch self {
            case .loaded(let items):
                // Types and lines only: values may be secrets and are never printed.
                return "loaded \(items.count) variables " + items.prefix(6).map { "\($0.key.pythonTypeName)→\($0.value.pythonTypeName)@\($0.line.map(String.init) ?? "-")" }.joined(separator: " ")
            case .failed(let error): return "failed: \(error.className) line \(error.line.map(String.init) ?? "-")"
            case .other(let text): return "other error: \(text)"
            }
        }
    }

    static func outcome(_ path: String, fastPath: Bool, rules: LocalFilesystemFile.Rules) -> Outcome {
        do {
            return .loaded(try LocalFilesystemFile.loadVariables(path: path, rules: rules, fastPath: fastPath))
        } catch let error as LocalFilesystemError {
            return .failed(error)
        } catch {
            return .other(String(describing: type(of: error)))
        }
    }

    /// Both paths under both rule sets; returns whether the fast path took the file.
    @discardableResult
    static func expectAgreement(path: String, _ label: String) -> Bool {
        for rules in [LocalFilesystemFile.Rules.current, .airflow2] {
            let general = outcome(path, fastPath: false, rules: rules)
            let fast = outcome(path, fastPath: true, rules: rules)
            #expect(fast == general, "\(label) (\(rules)): fast \(fast), general \(general)")
        }
        guard (try? LocalFilesystemFile.format(ofPath: path)) == .yaml,
              let text = try? PythonTextFile.read(path: path) else { return false }
        return LocalFilesystemFile.fastYAMLEntries(text) != nil
    }

    /// Writes `text` to a fresh `.yaml` file and compares both paths on it.
    static func expectAgreement(text: String, _ label: String, fileName: String = "variables.yaml") throws -> Bool {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("strata-varfp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(fileName)
        try Data(text.utf8).write(to: file)
        return expectAgreement(path: file.path, label)
    }

    // MARK: Recorded fixtures

    static let fixtureFiles = Fixtures.localFilesystemFiles

    @Test func everyFixtureFileIsAFileToCompare() {
        #expect(Self.fixtureFiles.count >= 40)
        #expect(Self.fixtureFiles.filter { $0.lowercased().hasSuffix(".yaml") || $0.lowercased().hasSuffix(".yml") }.count >= 8)
    }

    @Test("fixture", arguments: fixtureFiles)
    func fixtureFilesAgree(_ name: String) {
        Self.expectAgreement(path: Fixtures.url("local-filesystem").appendingPathComponent(name).path, name)
    }

    @Test func theRecordedFlatFilesTakeTheFastPath() {
        // variables-basic.yaml holds every unusual shape at once, so it declines as a whole.
        #expect(!Self.expectAgreement(path: Fixtures.url("local-filesystem/variables-basic.yaml").path, "basic"))
        for name in ["variables-basic.yml", "VARIABLES-UPPER.YAML"] {
            let taken = Self.expectAgreement(path: Fixtures.url("local-filesystem").appendingPathComponent(name).path, name)
            #expect(taken, "\(name) should take the fast path")
        }
    }

    // MARK: Generated variants

    /// A file of the benchmark's shape.
    static func benchmarkFile(count: Int = 50) -> String {
        (0..<count).map { "var_\($0 + 20_000): backend value \($0 + 20_000)\n" }.joined()
    }

    struct Variant: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var testDescription: String { name }
    }

    /// Texts the fast path must take: flat mappings of one-line ASCII scalars with `str` keys.
    static let acceptedVariants: [Variant] = [
        Variant(name: "benchmark shape", text: benchmarkFile()),
        Variant(name: "thousands of entries", text: benchmarkFile(count: 3000)),
        Variant(name: "no final newline", text: "a: 1\nb: two"),
        Variant(name: "ints", text: "a: 1\nc: +5\nd: 0\nf: 017\ng: 0x1F\nh: 0b101\ni: 1_000\nj: 190:20:30\nk: 123456789012345678901234567890\nl: 0o17\nm: 08\nn: 0x\n"),
        Variant(name: "floats", text: "a: 1.5\nb: 1.5e3\nc: 1.5e+3\nd: .inf\nf: +.INF\ng: .nan\nh: .NaN\ni: 1.\nj: .5\nk: 190:20:30.15\nl: +1.0\nn: 1_0.2_5\no: 6.8523015e-5\np: 1e3\n"),
        Variant(name: "bools", text: "a: yes\nb: No\nc: ON\nd: off\ne: true\nf: False\ng: y\nh: n\ni: TRUE\nj: nO\nk: oN\n"),
        Variant(name: "nulls", text: "a: null\nb: ~\nc: Null\nd: NULL\ne: nULL\nf: ~~\n"),
        Variant(name: "timestamps", text: "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10 -5\nd: 2001-12-15T02:59:43.1Z\ne: 2002-12-14\nf: 2001-1-1 1:00:00\ng: 2001-12-14 21:59:43.1234567\nh: 2001-1-1\n"),
        Variant(name: "quoted values", text: "a: 'single'\nb: \"double\"\nc: 'yes'\nd: \"123\"\ne: '~'\nf: \"\"\ng: ''\nh: '2001-12-14'\ni: 'a # not a comment'\nj: \"x: y\"\n"),
        Variant(name: "quoted keys", text: "'123': x\n\"true\": y\n'null': z\n\"~\": w\n'1.5': v\n'2001-01-01': u\n'=': t\n'<<': s\n"),
        Variant(name: "duplicate keys", text: "a: 1\nb: 2\na: 3\nc: 4\nb: five\n"),
        Variant(name: "duplicate keys, quoted and plain", text: "a: 1\n'a': 2\n\"a\": 3\n"),
        Variant(name: "duplicate keys among thousands", text: benchmarkFile(count: 2000) + "var_20007: again\n"),
        Variant(name: "whole-line comments", text: "# header\na: 1\n  # indented comment\nb: 2\n#\n"),
        Variant(name: "blank lines", text: "\n\na: 1\n\n\nb: 2\n\n"),
        Variant(name: "lines of spaces", text: "   \na: 1\n      \nb: 2\n  \n"),
        Variant(name: "trailing spaces", text: "a: b   \nc: 'd'   \ne: 1  \n"),
        Variant(name: "spaces after the colon", text: "a:      b\nc:  1\n"),
        Variant(name: "spaces inside a value", text: "a: several words here\nb: x  y\n"),
        Variant(name: "an indented root mapping", text: "  a: 1\n  b: 2\n"),
        // Python's text mode turns CRLF and CR into LF before YAML sees the text.
        Variant(name: "CRLF line endings", text: "a: 1\r\nb: two\r\n"),
        Variant(name: "CR line endings", text: "a: 1\rb: two\r"),
        Variant(name: "a long value", text: "a: " + String(repeating: "x", count: 5000) + "\nb: 1\n"),
        Variant(name: "a 1000-character key", text: String(repeating: "k", count: 1000) + ": v\n"),
        Variant(name: "colons and punctuation in values", text: "url: http://x.example.com:8080/path?q=1&r=2\nweird: a,b;c=d%e@f\ntime: 12:30\ndash: a-b\nend: ab-\n"),
        Variant(name: "keys with punctuation", text: "a.b: 1\na-b: 2\na/b: 3\nA_B: 4\nk=v: 5\n"),
        Variant(name: "keys that look like numbers but are not", text: "1a: x\nv1.5: y\n0o17: z\n1.5e3: w\nyes_no: v\n"),
        Variant(name: "values that almost resolve", text: "a: yess\nb: nul\nc: .in\nd: 1.2.3\ne: 2001-12-1x\nf: +\ng: 0b\nh: 1__\ni: 12:60\n"),
    ]

    /// Texts the fast path must leave to the general path (errors and unusual shapes).
    static let declinedVariants: [Variant] = [
        Variant(name: "an int key", text: "a: 1\n123: x\n"),
        Variant(name: "a float key", text: "1.5: x\n"),
        Variant(name: "a bool key", text: "yes: x\nb: 1\n"),
        Variant(name: "a null key", text: "null: x\n"),
        Variant(name: "a ~ key", text: "~: x\n"),
        Variant(name: "a date key", text: "2001-01-01: x\n"),
        Variant(name: "an = key", text: "=: x\n"),
        Variant(name: "an = value", text: "a: =\n"),
        Variant(name: "an impossible date", text: "a: 2001-13-14\n"),
        Variant(name: "February 30th", text: "a: 2001-02-30\n"),
        Variant(name: "an hour out of range", text: "a: 2001-01-01 25:00:00\n"),
        Variant(name: "an empty value", text: "a:\nb: 1\n"),
        Variant(name: "an empty value last", text: "a: 1\nb:\n"),
        Variant(name: "a merge key", text: "base: &b {x: 1}\n<<: *b\n"),
        Variant(name: "an anchor and alias", text: "a: &x 1\nb: *x\n"),
        Variant(name: "a tag", text: "a: !!str 1\n"),
        Variant(name: "a binary tag", text: "a: !!binary aGVsbG8=\n"),
        Variant(name: "a flow sequence", text: "a: [1, 2]\n"),
        Variant(name: "a flow mapping", text: "a: {b: 1}\n"),
        Variant(name: "a literal block scalar", text: "a: |\n  line one\n  line two\nb: 1\n"),
        Variant(name: "a folded block scalar", text: "a: >\n  folded\n  text\n"),
        Variant(name: "a multi-line plain scalar", text: "a: b\n  c\n"),
        Variant(name: "a nested mapping", text: "a:\n  b: 1\n"),
        Variant(name: "a nested sequence", text: "a:\n  - 1\n  - 2\n"),
        Variant(name: "an indentless sequence value", text: "a:\n- 1\n- 2\n"),
        Variant(name: "a sequence at the top", text: "- a\n- b\n"),
        Variant(name: "a scalar document", text: "just text\n"),
        Variant(name: "a document start marker", text: "---\na: 1\n"),
        Variant(name: "a document end marker", text: "a: 1\n...\n"),
        Variant(name: "two documents", text: "a: 1\n---\nb: 2\n"),
        Variant(name: "a directive", text: "%YAML 1.1\n---\na: 1\n"),
        Variant(name: "an empty file", text: ""),
        Variant(name: "only comments", text: "# nothing\n# here\n"),
        Variant(name: "only blank lines", text: "\n\n\n"),
        Variant(name: "a trailing comment", text: "a: 1 # one\n"),
        Variant(name: "a comment right after a value", text: "a: 1#one\n"),
        Variant(name: "a tab after the colon", text: "a:\tb\n"),
        Variant(name: "a tab inside a value", text: "a: b\tc\n"),
        Variant(name: "tab indentation", text: "a: 1\n\tb: 2\n"),
        Variant(name: "a space before the colon", text: "a : 1\n"),
        Variant(name: "a non-ASCII value", text: "a: héllo\nb: 1\n"),
        Variant(name: "a non-ASCII key", text: "clé: v\n"),
        Variant(name: "an emoji value", text: "a: 'smile 😀'\n"),
        Variant(name: "a byte order mark", text: "\u{FEFF}a: 1\n"),
        Variant(name: "NFC and NFD spellings of one key", text: "caf\u{E9}: a\ncafe\u{301}: b\n"),
        Variant(name: "an escape in double quotes", text: "a: \"x\\ny\"\n"),
        Variant(name: "a doubled single quote", text: "a: 'it''s'\n"),
        Variant(name: "an unterminated quote", text: "a: 'open\n"),
        Variant(name: "text after a quoted value", text: "a: 'x' y\n"),
        Variant(name: "a second colon-space in a value", text: "a: b: c\n"),
        Variant(name: "a value starting with an indicator", text: "a: -x\nb: '?'\n"),
        Variant(name: "a dash value", text: "a: -\n"),
        Variant(name: "negative numbers", text: "a: -17\nb: -0\nc: -.Inf\nd: -0.0\ne: -1.5e-3\n"),
        Variant(name: "a question-mark key", text: "? a\n: b\n"),
        Variant(name: "a key longer than 1000 characters", text: String(repeating: "k", count: 1001) + ": v\n"),
        Variant(name: "a key longer than libyaml allows", text: String(repeating: "k", count: 1100) + ": v\n"),
        Variant(name: "a deeper line after a value", text: "a: 1\n   b: 2\n"),
        Variant(name: "a line indented less than the root", text: "  a: 1\nb: 2\n"),
        Variant(name: "a control character", text: "a: b\u{07}c\n"),
    ]

    @Test("accepted variant", arguments: acceptedVariants)
    func acceptedVariantsAgreeAndTakeTheFastPath(_ variant: Variant) throws {
        let taken = try Self.expectAgreement(text: variant.text, variant.name)
        #expect(taken, "\(variant.name) should take the fast path")
    }

    @Test("declined variant", arguments: declinedVariants)
    func declinedVariantsAgreeAndTakeTheGeneralPath(_ variant: Variant) throws {
        let taken = try Self.expectAgreement(text: variant.text, variant.name)
        #expect(!taken, "\(variant.name) should decline to the general path")
    }

    @Test func theYmlExtensionAndUpperCaseTakeTheFastPathToo() throws {
        #expect(try Self.expectAgreement(text: "a: 1\nb: yes\n", "yml", fileName: "vars.yml"))
        #expect(try Self.expectAgreement(text: "a: 1\nb: yes\n", "YAML", fileName: "VARS.YAML"))
    }

    @Test func otherFormatsNeverTakeTheYAMLFastPath() throws {
        // Text that is a flat YAML mapping, in files Airflow reads as env or JSON.
        #expect(try !Self.expectAgreement(text: "a: 1\n", "env", fileName: "vars.env"))
        #expect(try !Self.expectAgreement(text: "{\"a\": 1}\n", "json", fileName: "vars.json"))
    }

    // MARK: What the fast path gives, spelled out

    @Test func typesValuesAndLinesAreWhatPyYAMLGives() throws {
        let text = "# comment\ns: text\ni: 017\nf: 1.5e+3\nb: on\nn: ~\nd: 2001-12-14\nq: '42'\n\nt: 2001-12-14 21:59:43.10 -5\n"
        let entries = try #require(LocalFilesystemFile.fastYAMLEntries(text))
        #expect(entries.map(\.key) == ["s", "i", "f", "b", "n", "d", "q", "t"].map { PythonValue.string($0) })
        #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 10])
        #expect(entries[0].value == .string("text"))
        #expect(entries[1].value == .int("15"))
        #expect(entries[2].value == .float(1500))
        #expect(entries[3].value == .bool(true))
        #expect(entries[4].value == .none)
        #expect(entries[5].value == .date(PythonDate(year: 2001, month: 12, day: 14)))
        #expect(entries[6].value == .string("42"))
        #expect(entries[7].value.pythonTypeName == "datetime")
    }

    @Test func aDuplicateKeyKeepsItsFirstPlaceAndTakesTheLastValueAndLine() throws {
        let entries = try #require(LocalFilesystemFile.fastYAMLEntries("a: 1\nb: 2\n'a': three\n"))
        #expect(entries.map(\.key) == [.string("a"), .string("b")])
        #expect(entries[0].value == .string("three"))
        #expect(entries[0].line == 3)
        #expect(entries[1].line == 2)
    }

    @Test func theTierReadsTheBenchmarkShapeThroughTheFastPath() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("strata-varfp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("variables.yaml")
        try Data((Self.benchmarkFile(count: 100) + "typed: 5\n").utf8).write(to: file)
        let text = try PythonTextFile.read(path: file.path)
        #expect(LocalFilesystemFile.fastYAMLEntries(text)?.count == 101)
        let tier = LocalFilesystemTier(variablesFile: file, connectionsFile: nil, dialect: .core)
        let snapshot = try await tier.load()
        #expect(snapshot.records.count == 101)
        #expect(snapshot.records.first?.name == "var_20000")
        #expect(snapshot.records.last?.metadata["python_type"] == "int")
        #expect(snapshot.records.last?.metadata["line"] == "101")
    }
}
