@testable import Engine
import Foundation
import Testing
import TestSupport

/// `DotEnvFile.parse` reads bytes in place and streams entries; these cases hold it to the
/// parser it replaced (kept below, verbatim, as the oracle): same entries, same errors.
@Suite("Dotenv parsing agrees with the reference parser")
struct DotEnvParserAgreementTests {
    enum Reference {
        static func parse(_ text: String, path: String) throws -> [(name: String, value: String, line: Int)] {
            // Works on UTF-8 bytes: every syntax character is ASCII, and deployments carry tens
            // of thousands of variables.
            var bytes = Array(text.utf8)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            var lines: [Range<Int>] = []
            var lineStart = 0
            for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
                lines.append(lineStart..<i)
                lineStart = i + 1
            }
            lines.append(lineStart..<bytes.count)

            func trimmed(_ range: Range<Int>) -> Range<Int> {
                var lower = range.lowerBound, upper = range.upperBound
                while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
                while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 || bytes[upper - 1] == 0x0D { upper -= 1 }
                return lower..<upper
            }
            func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

            var entries: [(name: String, value: String, line: Int)] = []
            entries.reserveCapacity(lines.count)
            var index = 0
            while index < lines.count {
                let lineNumber = index + 1
                var body = trimmed(lines[index])
                index += 1
                if body.isEmpty || bytes[body.lowerBound] == UInt8(ascii: "#") { continue }
                if bytes[body].starts(with: Array("export ".utf8)) { body = trimmed(body.lowerBound + 7..<body.upperBound) }
                guard let equals = bytes[body].firstIndex(of: UInt8(ascii: "=")) else {
                    throw DotEnvError(path: path, line: lineNumber,
                                      problem: "expected NAME=value, found no '='",
                                      fix: "add '=' after the variable name, or start the line with # to make it a comment")
                }
                let name = string(trimmed(body.lowerBound..<equals))
                guard DotEnvFile.isValidName(name) else {
                    throw DotEnvError(path: path, line: lineNumber,
                                      problem: "'\(DotEnvFile.inert(name))' is not a valid variable name",
                                      fix: "use letters, digits and underscores, not starting with a digit")
                }
                let rest = trimmed(equals + 1..<body.upperBound)
                let value: String
                if let first = rest.first.map({ bytes[$0] }), first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                    // A quoted value may span lines until its closing quote.
                    var collected = string(rest.lowerBound + 1..<lines[index - 1].upperBound)
                    if collected.hasSuffix("\r") { collected.removeLast() }
                    let quote = Character(Unicode.Scalar(first))
                    var closing = DotEnvFile.closingQuote(in: collected, quote: quote)
                    while closing == nil, index < lines.count {
                        var next = string(lines[index])
                        if next.hasSuffix("\r") { next.removeLast() }
                        collected += "\n" + next
                        index += 1
                        closing = DotEnvFile.closingQuote(in: collected, quote: quote)
                    }
                    guard let closing else {
                        throw DotEnvError(path: path, line: lineNumber,
                                          problem: "the value of \(name) opens a \(quote) quote that is never closed",
                                          fix: "close the quote, or escape it")
                    }
                    let inner = String(collected[..<closing])
                    value = quote == "\"" ? DotEnvFile.unescapeDoubleQuoted(inner) : inner
                } else {
                    var end = rest.upperBound
                    var i = rest.lowerBound
                    while i < rest.upperBound {
                        if bytes[i] == UInt8(ascii: "#"), i > rest.lowerBound, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 {
                            end = i
                            break
                        }
                        i += 1
                    }
                    value = string(trimmed(rest.lowerBound..<end))
                }
                entries.append((name, value, lineNumber))
            }
            return entries
        }
    }

    static func agree(_ text: String, replay: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Result { try Reference.parse(text, path: "x.env") }
        let actual = Result { try DotEnvFile.parse(text, path: "x.env").entries }
        switch (expected, actual) {
        case (.success(let e), .success(let a)):
            #expect(e.map(\.name) == a.map(\.name), "\(replay)", sourceLocation: sourceLocation)
            #expect(e.map(\.value) == a.map(\.value), "\(replay)", sourceLocation: sourceLocation)
            #expect(e.map(\.line) == a.map(\.line), "\(replay)", sourceLocation: sourceLocation)
        case (.failure(let e), .failure(let a)):
            #expect("\(e)" == "\(a)", "\(replay)", sourceLocation: sourceLocation)
        default:
            Issue.record("one parser failed and the other did not \(replay)", sourceLocation: sourceLocation)
        }
    }

    static let lines: [String] = [
        "A=1", "export B=2", "export  C = 3 ", "exportD=4", "export=5", "  E\t=\tvalue # comment", "F=a#b", "G=a #b",
        "H=\"quoted # not a comment\"", "I='single \\n kept'", "J=\"esc \\n \\t \\\" \\\\ done\"", "K=\"multi", "line\"",
        "# comment", "   # indented comment", "", "   ", "\r", "L=crlf\r", "M=\"crlf quoted\"\r", "N='open", "still'",
        "O=", "P= ", "Q=\"\"", "R=''", "S=caf\u{e9} \u{2603}", "T.dotted-name=1", "_U=1", "V==x", "W=x=y",
        "X=\"a\" trailing", "Y='a'b'", "Z=\t#tab comment", "AIRFLOW_VAR_VAR_1=env value 1",
        "AIRFLOW_CONN_C=postgres://u:p@h:5432/db?sslmode=require",
    ]

    static let badLines: [String] = [
        "no equals here", "1A=digit first", "BAD NAME=x", "=nameless", "export", "K\u{e9}=x", "A\u{7}=bell",
        "UNCLOSED=\"never", "UNCLOSED='never",
    ]

    @Test func everyLineShapeAgrees() {
        for line in Self.lines + Self.badLines {
            Self.agree(line)
            Self.agree(line + "\n")
            Self.agree("\u{FEFF}" + line)
            Self.agree("A=1\n" + line + "\nB=2\n")
        }
    }

    @Test func generatedFilesAgree() {
        var generator = SeededGenerator()
        for _ in 0..<400 {
            let count = Int.random(in: 1...12, using: &generator)
            let pool = Bool.random(using: &generator) ? Self.lines : Self.lines + Self.badLines
            let text = (0..<count).map { _ in pool.randomElement(using: &generator)! }
                .joined(separator: Bool.random(using: &generator) ? "\n" : "\r\n")
            Self.agree(text, replay: "input: \(String(reflecting: text)), \(generator.replay)")
        }
    }

    @Test func aLargeProjectEnvAgreesAndLandsInTheDeployment() throws {
        var text = "AIRFLOW__SECRETS__BACKEND=x\n"
        for i in 0..<2_000 { text += "AIRFLOW_VAR_VAR_\(i)=env value \(i)\n" }
        Self.agree(text)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        var deployment = Deployment(name: "d")
        deployment.environment.set("PRESET", "kept", origin: .process)
        try AstroProject.apply(folder, to: &deployment)
        #expect(deployment.environment.variables.count == 2_002)
        #expect(deployment.environment["PRESET"] == "kept")
        #expect(deployment.environment["AIRFLOW_VAR_VAR_1999"] == "env value 1999")
        #expect(deployment.environment.origins["AIRFLOW_VAR_VAR_7"] == .file(path: folder.appendingPathComponent(".env").path, line: 9))
    }

    @Test func aBadProjectEnvLeavesTheEnvironmentAsItWas() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "A=1\nB=2\nnot a line\n".write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        var deployment = Deployment(name: "d")
        deployment.environment.set("PRESET", "kept", origin: .process)
        let before = deployment.environment
        let error = try #require(throws: WorkspaceError.self) { try AstroProject.apply(folder, to: &deployment) }
        #expect(error.line == 3)
        #expect(deployment.environment == before)
        #expect(deployment.environment["A"] == nil)
    }
}
