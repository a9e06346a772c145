import ArgumentParser
import Engine
@testable import StrataCLI
import Testing
import TestSupport

/// `strata uri parse` / `strata uri format`, called directly (one line in, one result out).
@Suite("strata uri")
struct URICommandTests {
    @Test func parseWritesEveryFieldAndTheGeneratedURI() {
        let result = URICommand.parse(line: "postgresql://u:p%40ss@H:5432/db?a=1", dialect: .core)
        #expect(!result.failed)
        #expect(result.json == "{\"conn_type\": \"postgres\", \"host\": \"h\", \"login\": \"u\", \"password\": \"p@ss\", \"schema\": \"db\", \"port\": 5432, \"extra\": \"{\\\"a\\\": 1}\", \"uri\": \"postgres://u:p%40ss@h:5432/db?__extra__=%7B%22a%22%3A+1%7D\"}")
        let worker = URICommand.parse(line: "postgresql://u:p%40ss@H:5432/db?a=1", dialect: .sdk)
        #expect(worker.json.contains("\"extra\": \"{\\\"a\\\": \\\"1\\\"}\""))
    }

    @Test func parseReportsAirflowsErrorForARefusedLine() {
        let core = URICommand.parse(line: "a://b://c://d", dialect: .core)
        #expect(core.failed)
        #expect(core.json == "{\"error\": \"AirflowException\", \"message\": \"Invalid connection string.\"}")
        #expect(core.text == "error: AirflowException: Invalid connection string.")
        let json = URICommand.parse(line: "{\"conn_type\": \"x\", \"extra\": \"[1]\"}", dialect: .sdk)
        #expect(!json.failed, "the SDK accepts a list extra")
        #expect(json.json.hasSuffix("\"uri\": \"x:///?__extra__=%5B1%5D\"}"))
    }

    @Test func aGetURIFailureIsReportedInsideTheResult() {
        let result = URICommand.parse(line: "{\"conn_type\": \"x\", \"host\": 123}", dialect: .core)
        #expect(!result.failed)
        #expect(result.json.contains("\"host\": 123"))
        #expect(result.json.hasSuffix("\"uri\": {\"error\": \"TypeError\", \"message\": \"argument of type 'int' is not iterable\"}}"))
    }

    @Test func formatBuildsTheURIFromFields() {
        let result = URICommand.format(line: "{\"conn_type\": \"foo\", \"login\": \"a b\", \"password\": \"c/d@e:f\", \"host\": \"h o\", \"schema\": \"s/t\"}", dialect: .core)
        #expect(result.text == "foo://a%20b:c%2Fd%40e%3Af@h%20o/s%2Ft")
        #expect(result.json == "{\"uri\": \"foo://a%20b:c%2Fd%40e%3Af@h%20o/s%2Ft\"}")
        let extra = URICommand.format(line: "{\"conn_type\": \"foo\", \"extra\": {\"a\": 1}}", dialect: .sdk)
        #expect(extra.text == "foo:///?__extra__=%7B%22a%22%3A+1%7D")
        let unknown = URICommand.format(line: "{\"bogus\": 1}", dialect: .core)
        #expect(unknown.failed)
        #expect(unknown.text.hasPrefix("error: ValueError: unknown connection field 'bogus'"))
    }

    @Test func dialectOptionsRejectUnknownVersionsAndContexts() throws {
        #expect(throws: (any Error).self) { try URICommand.Parse.parse(["--airflow", "4"]) }
        #expect(throws: (any Error).self) { try URICommand.Parse.parse(["--context", "scheduler"]) }
        let parsed = try URICommand.Parse.parse(["--airflow", "3", "--context", "worker", "--jsonl"])
        #expect(parsed.options.dialect == .sdk)
        #expect(try URICommand.Format.parse(["--airflow", "2"]).options.dialect == .airflow2)
    }
}

/// The command as users run it: many lines through the parallel filter.
@Suite("strata uri parse --jsonl, end to end")
struct URIParseStreamTests {
    @Test func writesOneResultPerLineInOrderAndFailsWhenAnyLineFailed() throws {
        let lines = (0..<3_000).map { index -> String in
            switch index % 4 {
            case 0: return "postgres://u\(index):p%40ss@h\(index):5432/db?a=\(index)"
            case 1: return "a://b://c://d"
            case 2: return #"{"conn_type": "x", "extra": "{\"k\": \"v\#(index)\"}"}"#
            default: return "mysql://é\(index)@host/schema"
            }
        }
        let result = try StrataProcess.run(["uri", "parse", "--jsonl"], stdin: lines.joined(separator: "\r\n"))
        #expect(result.status == 1, "a line Airflow refuses makes the exit status 1")
        let expected = lines.map { URICommand.parse(line: $0, dialect: .core).json }
        #expect(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) == expected)
    }

    @Test func theTriggererParsesWithTheTaskSDK() throws {
        // Trigger code reads connections through the Task SDK, as tasks do (docs/triggerer-lookup.md).
        #expect(try URICommand.Parse.parse(["--context", "triggerer", "--jsonl"]).options.dialect == .sdk)
        #expect(try URICommand.Parse.parse(["--airflow", "2", "--context", "triggerer"]).options.dialect == .airflow2)
        let error = try #require(throws: (any Error).self) { try URICommand.Parse.parse(["--context", "scheduler"]) }
        #expect(URICommand.Parse.message(for: error).contains("server, worker, triggerer"))
    }
}
