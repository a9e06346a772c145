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

    /// Options shared by both subcommands: the output shape and which Airflow parser to reproduce.
    struct LineOptions: ParsableArguments {
        @Flag(name: .customLong("jsonl"), help: "Write one JSON object per input line.")
        var jsonl = false

        @OptionGroup var dialectOptions: DialectOptions

        var dialect: ConnectionDialect { dialectOptions.dialect }
    }

    /// Runs `transform` over standard input's lines; the exit status is 1 when any line failed.
    static func filterStandardInput(_ transform: @escaping OrderedLineFilter.Transform) throws {
        if try OrderedLineFilter().run(transform) > 0 { throw ExitCode(1) }
    }

    /// Which Airflow parser to reproduce.
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

        @OptionGroup var options: LineOptions

        func run() throws {
            let (dialect, jsonl) = (options.dialect, options.jsonl)
            try URICommand.filterStandardInput { line, out in
                jsonl ? URICommand.parseJSONL(line: line.bytes, dialect: dialect, into: &out)
                      : URICommand.parseText(line: line.text, dialect: dialect, into: &out)
            }
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

        @OptionGroup var options: LineOptions

        func run() throws {
            let (dialect, jsonl) = (options.dialect, options.jsonl)
            try URICommand.filterStandardInput { line, out in
                let result = URICommand.format(line: line.text, dialect: dialect)
                (jsonl ? result.json : result.text).appendLine(to: &out)
                return result.failed
            }
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

    /// `parse` for one input line, in both renderings (without their trailing newlines).
    static func parse(line: String, dialect: ConnectionDialect) -> LineResult {
        var json: [UInt8] = []
        var text: [UInt8] = []
        var copy = line
        let failed = copy.withUTF8 { parseJSONL(line: $0, dialect: dialect, into: &json) }
        _ = parseText(line: line, dialect: dialect, into: &text)
        return LineResult(json: String(decoding: json.dropLast(), as: UTF8.self),
                          text: String(decoding: text.dropLast(), as: UTF8.self), failed: failed)
    }

    private static func connection(from line: String, dialect: ConnectionDialect) -> Result<Connection, Error> {
        Result {
            line.utf8.first == UInt8(ascii: "{")
                ? try Connection.parse(json: line, dialect: dialect)
                : try Connection.parse(uri: line, dialect: dialect)
        }
    }

    /// The fields `uri parse` reports, in its output order.
    private static let reportedFields = ["conn_type", "host", "login", "password", "schema", "port", "extra"]
    /// Each field with its JSON key already spelled as bytes (`"conn_type": `).
    private static let reportedJSONFields = reportedFields.compactMap { name in
        Connection.Field(rawValue: name).map { (key: memberKey(name), field: $0) }
    }

    private static func memberKey(_ name: String) -> [UInt8] {
        var key: [UInt8] = []
        JSONValue.appendPythonJSONString(name, into: &key)
        return key + Array(": ".utf8)
    }

    /// Appends `parse --jsonl`'s line for one input line (its UTF-8 bytes), written straight as
    /// bytes: this is the hot loop of bulk conversions, where building a JSON tree per line cost
    /// more than parsing. A URI of the common shape is written from its bytes alone
    /// (`CommonURIReportLine`), or else parsed from the bytes themselves.
    /// `fromBytes: false` skips the shortcuts (the writer that works straight from a URI's bytes,
    /// a JSON connection's extra object reused for get_uri()), so that tests can hold them to the
    /// general path.
    static func parseJSONL(line: UnsafeBufferPointer<UInt8>, dialect: ConnectionDialect, into out: inout [UInt8],
                           fromBytes: Bool = true) -> Bool {
        if line.first != UInt8(ascii: "{") {
            if fromBytes && CommonURIReportLine.append(uri: line, dialect: dialect, to: &out) { return false }
            // What parse(uri:) gives, errors included (it takes the same path first).
            do {
                if let common = try Connection.parseCommonURIForRoundTrip(line, dialect: dialect) {
                    appendJSONL(common.connection, into: &out) { try common.appendURI(dialect: dialect, to: &$0) }
                    return false
                }
            } catch {
                appendErrorLine(error, to: &out)
                return true
            }
        }
        if fromBytes && line.first == UInt8(ascii: "{") {
            // A JSON connection: its extra object tells get_uri()'s query without decoding it again.
            do {
                let parsed = try Connection.parseJSONForRoundTrip(String(decoding: line, as: UTF8.self), dialect: dialect)
                appendJSONL(parsed.connection, into: &out) { try parsed.appendURI(dialect: dialect, to: &$0) }
                return false
            } catch {
                appendErrorLine(error, to: &out)
                return true
            }
        }
        switch connection(from: String(decoding: line, as: UTF8.self), dialect: dialect) {
        case .success(let connection):
            appendJSONL(connection, into: &out) { try connection.appendURI(dialect: dialect, to: &$0) }
            return false
        case .failure(let error):
            appendErrorLine(error, to: &out)
            return true
        }
    }

    private static func appendErrorLine(_ error: Error, to out: inout [UInt8]) {
        appendErrorObject(error, to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    /// The JSON line of a parsed connection: its fields, then get_uri() or the error it raises.
    private static func appendJSONL(_ connection: borrowing Connection, into out: inout [UInt8],
                                    writingURI appendURI: (inout [UInt8]) throws -> Void) {
        out.append(UInt8(ascii: "{"))
        let typed = connection.verbatim.isEmpty
        for field in reportedJSONFields {
            if typed {
                out.append(contentsOf: field.key)
                appendTyped(field.field, of: connection, to: &out)
                out.append(UInt8(ascii: ","))
                out.append(UInt8(ascii: " "))
            } else {
                appendMember(field.key, connection.fieldValue(field.field), to: &out)
            }
        }
        let description = connection.fieldValue(.description)
        if description != .null { appendMember(memberKey("description"), description, to: &out) }
        out.append(contentsOf: #""uri": "#.utf8)
        let uriStart = out.count
        do {
            try appendURI(&out)
            JSONValue.quotePythonJSONString(in: &out, from: uriStart)
        } catch {
            appendErrorObject(error, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// `json.dumps` of a typed attribute (a `str`, an `int` port or None), written without
    /// making a JSON value of it.
    private static func appendTyped(_ field: Connection.Field, of connection: borrowing Connection, to out: inout [UInt8]) {
        let text: String?
        switch field {
        case .connType: text = connection.connType
        case .host: text = connection.host
        case .login: text = connection.login
        case .password: text = connection.password
        case .schema: text = connection.schema
        case .extra: text = connection.extra
        case .description: text = connection.description
        case .port:
            if let port = connection.port { out.append(contentsOf: String(port).utf8) } else { out.append(contentsOf: "null".utf8) }
            return
        }
        if let text { JSONValue.appendPythonJSONString(text, into: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    private static func appendMember(_ name: [UInt8], _ value: JSONValue, to out: inout [UInt8]) {
        out.append(contentsOf: name)
        value.pythonDumps(into: &out)
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: " "))
    }

    private static func appendErrorObject(_ error: Error, to out: inout [UInt8]) {
        let (className, message) = describe(error)
        out.append(contentsOf: #"{"error": "#.utf8)
        JSONValue.appendPythonJSONString(className, into: &out)
        out.append(contentsOf: #", "message": "#.utf8)
        JSONValue.appendPythonJSONString(message, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `parse`'s plain-text block for one input line.
    static func parseText(line: String, dialect: ConnectionDialect, into out: inout [UInt8]) -> Bool {
        let connection: Connection
        switch self.connection(from: line, dialect: dialect) {
        case .success(let parsed): connection = parsed
        case .failure(let error):
            LineResult.failure(error).text.appendLine(to: &out)
            return true
        }
        var text = (reportedFields + ["description"])
            .map { "\($0): \(connection.fieldValue($0).pythonDumps())" }
        do {
            text.append("uri: \(try connection.uri(dialect: dialect))")
        } catch {
            let (className, message) = describe(error)
            text.append("uri: error: \(className): \(message)")
        }
        // A blank line after each block, as `print` of the block's own trailing newline gave.
        (text.joined(separator: "\n") + "\n").appendLine(to: &out)
        return false
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

extension String {
    /// This string and a newline, as UTF-8 bytes.
    func appendLine(to out: inout [UInt8]) {
        out.append(contentsOf: utf8)
        out.append(UInt8(ascii: "\n"))
    }
}
