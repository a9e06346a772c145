import ArgumentParser
import Engine
import PythonCompat

/// `strata uri`: Airflow's own connection URI parser and generator, as a filter over stdin.
public struct URICommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "uri",
        abstract: "Parse and generate Airflow connection URIs exactly as Airflow does.",
        discussion: """
        Both subcommands read one input per line on stdin and write one result per line on \
        stdout, in the same order. Unlike the rest of Strata, they print passwords: you fed them \
        in on stdin for machine use, and a masked value would be useless there. Do not point \
        them at a terminal others can read.

        Exit status: 0 when every line succeeded, 1 when any line failed (its result line \
        then describes the error), 2 for usage errors.
        """,
        subcommands: [Parse.self, Format.self]
    )

    public init() {}

    /// Options shared by both subcommands: which Airflow parser to reproduce.
    struct DialectOptions: ParsableArguments {
        @Option(name: .customLong("airflow"), help: "Airflow major version: 2 or 3.")
        var airflow: Int = 3

        @Option(name: .customLong("context"),
                help: "Airflow 3 process: server (API server, scheduler, CLI: airflow.models), worker (tasks: Task SDK) or triggerer (triggers, async deadline callbacks: Task SDK).")
        var context: String = "server"

        func validate() throws {
            guard AirflowVersion(rawValue: airflow) != nil else {
                throw ValidationError("--airflow must be 2 or 3, not \(airflow)")
            }
            guard LookupContext(rawValue: context) != nil else {
                throw ValidationError("--context must be \(LookupContext.allCases.map(\.rawValue).joined(separator: ", ")), not '\(context)'")
            }
        }

        var dialect: ConnectionDialect {
            ConnectionDialect(version: AirflowVersion(rawValue: airflow) ?? .v3,
                              context: LookupContext(rawValue: context) ?? .server)
        }
    }

    /// `strata uri parse`: each line is a URI (`Connection(uri=…)`) or, when it starts with `{`,
    /// a JSON connection (`Connection.from_json`).
    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Parse connection URIs (or JSON connections) read from stdin, one per line.",
            discussion: """
            With --jsonl each result is one JSON object: {"conn_type", "host", "login", \
            "password", "schema", "port", "extra", "uri"} (plus "description" when set), where \
            extra is Airflow's raw extra string or null and uri is get_uri() or an error object; \
            a line Airflow refuses gives {"error": "<exception class>", "message": "<text>"}. \
            Lines are taken verbatim (no stripping), as Connection(uri=...) takes them.
            """
        )

        @Flag(name: .customLong("jsonl"), help: "Write one JSON object per input line.")
        var jsonl = false

        @OptionGroup var dialectOptions: DialectOptions

        func run() throws {
            var failures = 0
            while let line = readLine(strippingNewline: true) {
                let result = URICommand.parse(line: line, dialect: dialectOptions.dialect)
                if result.failed { failures += 1 }
                print(jsonl ? result.json : result.text)
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    /// `strata uri format`: each line is a JSON object of connection fields; writes get_uri().
    struct Format: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "format",
            abstract: "Generate the URI (get_uri()) for connection fields read from stdin as JSON, one object per line.",
            discussion: """
            Each line is an object with any of conn_type, host, login, password, schema, port, \
            extra (a string, or an object that is stored as its json.dumps text) and \
            description, taken as the attributes of an Airflow Connection (no normalisation). \
            Without --jsonl the URI is written as plain text and a failing line as \
            "error: <class>: <message>"; with --jsonl as {"uri": …} or {"error", "message"}.
            """
        )

        @Flag(name: .customLong("jsonl"), help: "Write one JSON object per input line.")
        var jsonl = false

        @OptionGroup var dialectOptions: DialectOptions

        func run() throws {
            var failures = 0
            while let line = readLine(strippingNewline: true) {
                let result = URICommand.format(line: line, dialect: dialectOptions.dialect)
                if result.failed { failures += 1 }
                print(jsonl ? result.json : result.text)
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}

extension URICommand {
    /// One output line, in both renderings.
    struct LineResult: Equatable {
        var json: String
        var text: String
        var failed: Bool

        static func failure(_ error: Error) -> LineResult {
            let (className, message) = describe(error)
            var object = JSONObject()
            object["error"] = .string(className)
            object["message"] = .string(message)
            return LineResult(json: JSONValue.object(object).pythonDumps(),
                              text: "error: \(className): \(message)", failed: true)
        }
    }

    static func describe(_ error: Error) -> (String, String) {
        if let error = error as? AirflowError { return (error.className, error.message) }
        return (String(describing: type(of: error)), String(describing: error))
    }

    /// `parse` for one input line.
    static func parse(line: String, dialect: ConnectionDialect) -> LineResult {
        let connection: Connection
        do {
            connection = line.utf8.first == UInt8(ascii: "{")
                ? try Connection.parse(json: line, dialect: dialect)
                : try Connection.parse(uri: line, dialect: dialect)
        } catch {
            return .failure(error)
        }
        var object = JSONObject()
        for field in ["conn_type", "host", "login", "password", "schema", "port", "extra"] {
            object[field] = connection.fieldValue(field)
        }
        let description = connection.fieldValue("description")
        if description != .null { object["description"] = description }
        var text = ["conn_type", "host", "login", "password", "schema", "port", "extra", "description"]
            .map { "\($0): \(connection.fieldValue($0).pythonDumps())" }
        do {
            let uri = try connection.uri(dialect: dialect)
            object["uri"] = .string(uri)
            text.append("uri: \(uri)")
        } catch {
            let (className, message) = describe(error)
            var errorObject = JSONObject()
            errorObject["error"] = .string(className)
            errorObject["message"] = .string(message)
            object["uri"] = .object(errorObject)
            text.append("uri: error: \(className): \(message)")
        }
        return LineResult(json: JSONValue.object(object).pythonDumps(), text: text.joined(separator: "\n") + "\n", failed: false)
    }

    /// `format` for one input line.
    static func format(line: String, dialect: ConnectionDialect) -> LineResult {
        do {
            guard case .object(let fields) = try JSONValue.parsePython(line) else {
                throw AirflowError("ValueError", "each line must be a JSON object of connection fields")
            }
            var connection = Connection()
            for (key, value) in fields {
                guard Connection.fieldNames.contains(key) else {
                    throw AirflowError("ValueError", "unknown connection field '\(key)'; expected one of \(Connection.fieldNames.joined(separator: ", "))")
                }
                if key == "extra", case .object = value {
                    connection.setFieldValue(key, .string(value.pythonDumps()))
                } else {
                    connection.setFieldValue(key, value)
                }
            }
            let uri = try connection.uri(dialect: dialect)
            var object = JSONObject()
            object["uri"] = .string(uri)
            return LineResult(json: JSONValue.object(object).pythonDumps(), text: uri, failed: false)
        } catch {
            return .failure(error)
        }
    }
}
