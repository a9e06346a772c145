@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// Every line of `fixtures/connection-uris.jsonl` (recorded from Airflow 3.3.2 core and Task SDK
/// 1.3.2) through the codec: each field with its Python type, `get_uri()`, and errors with
/// their class and message. Failures name the line and the field; password values and URIs
/// (which embed passwords) are never printed.
@Suite("Connection codec against connection-uris.jsonl")
struct CodecFixtureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var input: String
        var kind: String
        var core: JSONObject
        var sdk: JSONObject
        var testDescription: String { id }
    }

    static let cases: [Case] = {
        guard let lines = try? Fixtures.jsonLines("connection-uris.jsonl") else { return [] }
        return lines.compactMap { line in
            guard case .object(let record)? = try? JSONValue.parsePython(line),
                  let id = record["id"]?.stringValue, let input = record["input"]?.stringValue,
                  let kind = record["kind"]?.stringValue,
                  case .object(let core)? = record["core"], case .object(let sdk)? = record["sdk"] else { return nil }
            return Case(id: id, input: input, kind: kind, core: core, sdk: sdk)
        }
    }()

    @Test func theCorpusIsComplete() throws {
        let lines = try Fixtures.jsonLines("connection-uris.jsonl")
        #expect(lines.count == 427)
        #expect(Self.cases.count == lines.count, "every line decodes into a case")
        #expect(Self.cases.filter { $0.kind == "uri" }.count == 354)
        #expect(Self.cases.filter { $0.kind == "json" }.count == 73)
    }

    @Test("core (airflow.models.Connection)", arguments: cases)
    func core(_ fixture: Case) {
        for problem in Self.compare(fixture, expected: fixture.core, dialect: .core) {
            Issue.record("\(fixture.id) [core]: \(problem)")
        }
    }

    @Test("sdk (airflow.sdk.Connection)", arguments: cases)
    func sdk(_ fixture: Case) {
        for problem in Self.compare(fixture, expected: fixture.sdk, dialect: .sdk) {
            Issue.record("\(fixture.id) [sdk]: \(problem)")
        }
    }

    /// The differences between what the codec does and what Airflow recorded, as safe text.
    static func compare(_ fixture: Case, expected: JSONObject, dialect: ConnectionDialect) -> [String] {
        let result: Result<Connection, Error> = Result {
            fixture.kind == "uri"
                ? try Connection.parse(uri: fixture.input, dialect: dialect)
                : try Connection.parse(json: fixture.input, dialect: dialect)
        }
        if let errorClass = expected["error"]?.stringValue {
            switch result {
            case .success:
                return ["Airflow raised \(errorClass) but the codec parsed the input"]
            case .failure(let error):
                return compareError(error, expected: expected, what: "parse")
            }
        }
        let connection: Connection
        switch result {
        case .success(let parsed): connection = parsed
        case .failure(let error):
            return ["Airflow parsed the input but the codec raised \(safeDescription(error))"]
        }
        var problems: [String] = []
        for field in Connection.fieldNames {
            let want = expected[field] ?? .null
            let got = connection.fieldValue(field)
            if want != got {
                problems.append(field == "password"
                    ? "password differs (\(kindName(got)) vs expected \(kindName(want)))"
                    : "\(field): got \(got.pythonDumps()), expected \(want.pythonDumps())")
            }
        }
        let uriResult = Result { try connection.uri(dialect: dialect) }
        switch (expected["uri"], uriResult) {
        case (.string(let want)?, .success(let got)):
            if want != got { problems.append("uri differs \(firstDifference(got, want))") }
        case (.object(let error)?, .failure(let thrown)):
            problems += compareError(thrown, expected: error, what: "get_uri")
        case (.object(let error)?, .success):
            problems.append("get_uri: Airflow raised \(error["error"]?.stringValue ?? "?") but the codec produced a URI")
        case (_, .failure(let thrown)):
            problems.append("get_uri: the codec raised \(safeDescription(thrown))")
        default:
            problems.append("get_uri: unexpected fixture shape")
        }
        return problems
    }

    static func compareError(_ error: Error, expected: JSONObject, what: String) -> [String] {
        guard let error = error as? AirflowError else { return ["\(what): not an AirflowError: \(type(of: error))"] }
        var problems: [String] = []
        let wantClass = expected["error"]?.stringValue ?? "?"
        if error.className != wantClass { problems.append("\(what): raised \(error.className), Airflow raised \(wantClass)") }
        if error.message != expected["message"]?.stringValue {
            problems.append("\(what): \(error.className) message differs \(firstDifference(error.message, expected["message"]?.stringValue ?? ""))")
        }
        return problems
    }

    static func kindName(_ value: JSONValue) -> String {
        value == .null ? "None" : value == .string("") ? "empty str" : value.pythonTypeName
    }

    static func safeDescription(_ error: Error) -> String {
        (error as? AirflowError)?.className ?? "\(type(of: error))"
    }

    /// Where two texts first differ, without showing either.
    static func firstDifference(_ got: String, _ want: String) -> String {
        let a = Array(got.unicodeScalars), b = Array(want.unicodeScalars)
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        return "(first difference at character \(i); lengths \(a.count) vs expected \(b.count))"
    }
}
