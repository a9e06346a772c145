@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// Every file of `fixtures/local-filesystem/` through Strata's loaders, compared with what real
/// Airflow 3.3.2's `load_variables` / `load_connections_dict` returned or raised.
@Suite("LocalFilesystemBackend files (recorded from Airflow 3.3.2)")
struct LocalFilesystemFixtureTests {
    static let folder = Fixtures.url("local-filesystem")

    static let expectedFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".expected.json") }.sorted()
    }()

    static func variableFiles() -> [String] {
        expectedFiles.filter { $0.lowercased().hasPrefix("variables") }
    }

    static func connectionFiles() -> [String] {
        expectedFiles.filter { $0.lowercased().hasPrefix("connections") }
    }

    struct Expectation {
        var name: String
        var path: String
        var record: PythonDict

        init(_ expectedFile: String) throws {
            name = String(expectedFile.dropLast(".expected.json".count))
            path = LocalFilesystemFixtureTests.folder.appendingPathComponent(name).path
            let text = try String(contentsOf: LocalFilesystemFixtureTests.folder.appendingPathComponent(expectedFile),
                                  encoding: .utf8)
            guard case .dict(let dict) = try PythonJSON.loads(text).value else {
                throw TierError("\(expectedFile) is not an object")
            }
            record = dict
        }

        subscript(_ key: String) -> PythonValue? { record[string: key] }

        /// Airflow ran with the bare file name; Strata is given the full path.
        func localised(_ message: String) -> String {
            message.replacingOccurrences(of: name, with: path)
        }
    }

    @Test func theFixtureFolderHasEveryRecordedFile() {
        #expect(Self.variableFiles().count + Self.connectionFiles().count == Self.expectedFiles.count)
        #expect(Self.expectedFiles.count == 48)
    }

    @Test("load_variables", arguments: variableFiles())
    func loadVariables(_ expectedFile: String) throws {
        let expected = try Expectation(expectedFile)
        do {
            let variables = try LocalFilesystemFile.loadVariables(path: expected.path)
            guard case .dict(let result)? = expected["result"], case .dict(let types)? = expected["python_types"] else {
                Issue.record("Airflow raised \(expected["error"]?.pythonStr ?? "?") but Strata loaded \(variables.count) variables")
                return
            }
            #expect(variables.map(\.key.pythonStr) == result.keys.map(\.pythonStr), "keys and their order")
            let nonStringKeys: PythonDict
            if case .dict(let d)? = expected["non_string_keys"] { nonStringKeys = d } else { nonStringKeys = PythonDict() }
            for variable in variables {
                let key = variable.key.pythonStr
                #expect(Self.comparable(variable.value) == result[.string(key)].map(Self.normalisedExpected),
                        "value of \(key)")
                #expect(types[.string(key)] == .string(variable.value.pythonTypeName), "type of \(key)")
                let expectedKeyType = nonStringKeys[.string(key)]?.stringValue ?? "str"
                #expect(variable.key.pythonTypeName == expectedKeyType, "key type of \(key)")
            }
        } catch let error as LocalFilesystemError {
            Self.check(error, against: expected)
        }
    }

    @Test("load_connections_dict", arguments: connectionFiles())
    func loadConnections(_ expectedFile: String) throws {
        let expected = try Expectation(expectedFile)
        do {
            let connections = try LocalFilesystemFile.loadConnections(path: expected.path, dialect: .core)
            guard case .dict(let result)? = expected["result"], case .dict(let types)? = expected["python_types"] else {
                Issue.record("Airflow raised \(expected["error"]?.pythonStr ?? "?") but Strata loaded \(connections.count) connections")
                return
            }
            #expect(connections.map(\.key.pythonStr) == result.keys.map(\.pythonStr), "ids and their order")
            for item in connections {
                let id = item.key.pythonStr
                guard case .dict(let recorded)? = result[.string(id)], case .dict(let recordedTypes)? = types[.string(id)] else {
                    Issue.record("no recorded result for \(id)")
                    continue
                }
                #expect(item.connID.map(PythonValue.string) ?? PythonValue.none == recorded[string: "conn_id"], "conn_id of \(id)")
                for field in Connection.fieldNames {
                    let value = Self.field(field, of: item.connection)
                    #expect(value == recorded[string: field], "\(field) of \(id)")
                    #expect(.string(value.pythonTypeName) == recordedTypes[string: field], "type of \(field) of \(id)")
                }
                switch recorded[string: "uri"] {
                case .string(let uri)?:
                    #expect((try? item.connection.uri(dialect: .core)) == uri, "get_uri() of \(id)")
                case .dict(let error)?:
                    #expect(throws: (any Error).self, "get_uri() of \(id) raises \(error[string: "error"]?.pythonStr ?? "")") {
                        try item.connection.uri(dialect: .core)
                    }
                default:
                    Issue.record("no recorded uri for \(id)")
                }
            }
        } catch let error as LocalFilesystemError {
            Self.check(error, against: expected)
        }
    }

    /// A connection field as the Python attribute: the verbatim value when Airflow kept another type.
    static func field(_ name: String, of connection: Connection) -> PythonValue {
        if let verbatim = connection.verbatim[name] { return PythonValue(verbatim) }
        let text: String?
        switch name {
        case "conn_type": text = connection.connType
        case "host": text = connection.host
        case "login": text = connection.login
        case "password": text = connection.password
        case "schema": text = connection.schema
        case "extra": text = connection.extra
        case "description": text = connection.description
        case "port": return connection.port.map { .int(String($0)) } ?? .none
        default: text = nil
        }
        return text.map(PythonValue.string) ?? .none
    }

    /// Compares an error with the recorded one: class, message, file path and parse errors.
    static func check(_ error: LocalFilesystemError, against expected: Expectation) {
        guard let expectedClass = expected["error"]?.stringValue, let message = expected["message"]?.stringValue else {
            Issue.record("Airflow loaded the file but Strata raised \(error.className)")
            return
        }
        #expect(error.className == expectedClass)
        if expectedClass == "AirflowException", message.hasPrefix("The object have illegal keys: ") {
            // The allowed-keys part prints a Python set in hash order: compare only the illegal keys.
            let prefix = message.components(separatedBy: ". The dictionary").first ?? message
            #expect(error.message.hasPrefix(prefix + ". The dictionary can only contain the following keys: {"))
        } else {
            #expect(error.message == expected.localised(message))
        }
        if let filePath = expected["file_path"]?.stringValue {
            #expect(error.filePath == expected.localised(filePath))
        }
        if case .list(let parseErrors)? = expected["parse_errors"] {
            let recorded = parseErrors.compactMap { item -> FileSyntaxError? in
                guard case .dict(let d) = item, case .int(let line)? = d[string: "line_no"],
                      let text = d[string: "message"]?.stringValue else { return nil }
                return FileSyntaxError(lineNumber: Int(line)!, message: text)
            }
            #expect(error.parseErrors == recorded)
        }
    }

    /// The fixtures write dates as ISO text and non-finite floats as `{"__python__": …}` objects.
    static func comparable(_ value: PythonValue) -> PythonValue {
        switch value {
        case .date(let d): return .string(d.isoFormat)
        case .datetime(let dt): return .string(dt.isoFormat())
        case .float(let d) where !d.isFinite:
            return .dict(PythonDict([(.string("__python__"), .string("float")), (.string("repr"), .string(value.pythonRepr))]))
        case .list(let items), .tuple(let items): return .list(items.map(comparable))
        case .dict(let dict): return .dict(PythonDict(dict.pairs.map { ($0.key, comparable($0.value)) }))
        default: return value
        }
    }

    static func normalisedExpected(_ value: PythonValue) -> PythonValue { value }
}
