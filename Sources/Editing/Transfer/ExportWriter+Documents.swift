import Engine
import PythonCompat

extension ExportWriter {
    /// The order `airflow connections export` writes a connection's fields in.
    static let connectionFields = ["conn_type", "description", "login", "password", "host", "port", "schema", "extra"]

    /// The text of one entry, or why the format cannot hold it at all.
    static func fragment(_ item: CopyItem, format: TransferFormat, airflow: AirflowVersion = .v3) -> Result<String, TransferError> {
        let id = item.key.id
        switch (format, item.value) {
        case (.json, .variable(let text, let description)):
            var out = "    " + json(.string(id)) + ": "
            // Airflow 2's import would store the {"value", "description"} object as the value.
            if let description, airflow == .v3 {
                out += "{\n        \"value\": " + json(.string(text)) + ",\n        \"description\": " + json(.string(description)) + "\n    }"
            } else {
                out += json(.string(text))
            }
            return .success(out)
        case (.json, .connection(let connection)):
            let fields = connectionFields.map { "    " + json(.string($0)) + ": " + json(connection.fieldValue($0)) }
            return .success("  " + json(.string(id)) + ": {\n" + fields.joined(separator: ",\n") + "\n  }")
        case (.yaml, .variable(let text, let description)):
            if let description {
                return .success(YAMLText.scalar(id) + ":\n  value: " + YAMLText.scalar(text) + "\n  description: " + YAMLText.scalar(description))
            }
            return .success(YAMLText.scalar(id) + ": " + YAMLText.scalar(text))
        case (.yaml, .connection(let connection)):
            let fields = connectionFields.map { "  \($0): " + yaml(connection.fieldValue($0)) }
            return .success(YAMLText.scalar(id) + ":\n" + fields.joined(separator: "\n"))
        case (.env, .variable(let text, _)):
            if let problem = envKeyProblem(id) { return .failure(TransferError(problem)) }
            if text.isEmpty {
                return .failure(TransferError("a .env file cannot hold an empty value (Airflow refuses the line); use --format json or yaml"))
            }
            if hasLineBreak(text) {
                return .failure(TransferError("its value spans lines, which a .env file cannot hold; use --format json or yaml"))
            }
            return .success(id + "=" + text)
        case (.env, .connection(let connection)):
            if let problem = envKeyProblem(id) { return .failure(TransferError(problem)) }
            let uri: String
            do {
                uri = try connection.uri(dialect: airflow == .v2 ? .airflow2 : .core)
            } catch {
                return .failure(TransferError("it cannot be written as a URI, the only form a .env file's import reads; use --format json or yaml"))
            }
            if hasLineBreak(uri) {
                return .failure(TransferError("its URI spans lines, which a .env file cannot hold; use --format json or yaml"))
            }
            return .success(id + "=" + uri)
        case (.astro, .variable(let text, _)):
            if text.isEmpty {
                return .failure(TransferError("airflow_settings.yaml cannot hold an empty variable: the Astro CLI skips an entry without a value"))
            }
            return .success("    - variable_name: " + YAMLText.scalar(id) + "\n      variable_value: " + YAMLText.scalar(text))
        case (.astro, .connection(let connection)):
            if let field = connection.verbatim.keys.sorted().first(where: { $0 != "description" }) {
                return .failure(TransferError("its \(field) is not text; airflow_settings.yaml holds text fields and a whole-number port"))
            }
            var lines = ["    - conn_id: " + YAMLText.scalar(id)]
            func add(_ field: String, _ value: String?) {
                if let value, !value.isEmpty { lines.append("      \(field): " + YAMLText.scalar(value)) }
            }
            add("conn_type", connection.connType)
            add("conn_host", connection.host)
            add("conn_schema", connection.schema)
            add("conn_login", connection.login)
            add("conn_password", connection.password)
            if let port = connection.port { lines.append("      conn_port: \(port)") }
            add("conn_extra", connection.extra)
            return .success(lines.joined(separator: "\n"))
        }
    }

    /// The whole file for `entries`.
    static func document(_ entries: [Entry], format: TransferFormat, kinds: Set<SecretKind>) -> String {
        switch format {
        case .json:
            if entries.isEmpty { return "{}\n" }
            return "{\n" + entries.map(\.text).joined(separator: ",\n") + "\n}\n"
        case .yaml:
            // An empty YAML file is an error to Airflow's loader; an empty mapping is not.
            if entries.isEmpty { return "{}\n" }
            return entries.map(\.text).joined(separator: "\n") + "\n"
        case .env:
            return entries.map { $0.text + "\n" }.joined()
        case .astro:
            func section(_ kind: SecretKind, _ name: String) -> String {
                let texts = entries.filter { $0.item.key.kind == kind }.map(\.text)
                return texts.isEmpty ? "  \(name): []\n" : "  \(name):\n" + texts.joined(separator: "\n") + "\n"
            }
            return "airflow:\n" + section(.connection, "connections") + "  pools: []\n" + section(.variable, "variables")
        }
    }

    /// A JSON value as Python's `json.loads` reads it back: strings with every character as it
    /// is but controls escaped; anything else as Python's `json.dumps` spells it.
    static func json(_ value: JSONValue) -> String {
        if case .string(let text) = value {
            var out = ""
            JSONStringLiteral.append(text, to: &out, escaping: { _ in false })
            return out
        }
        return value.pythonDumps()
    }

    /// A field as a YAML scalar (or JSON-style flow) PyYAML reads back as the same value.
    static func yaml(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return YAMLText.scalar(text)
        case .null: return "null"
        default: return value.pythonDumps()
        }
    }

    /// Why a `.env` line cannot start with `id`, or nil.
    static func envKeyProblem(_ id: String) -> String? {
        if id.isEmpty { return "a .env file cannot hold an empty key" }
        if id.contains("=") { return "its key contains '=', which a .env line cannot hold; use --format json or yaml" }
        if hasLineBreak(id) { return "its key spans lines, which a .env file cannot hold; use --format json or yaml" }
        if id.unicodeScalars.first(where: { !$0.properties.isWhitespace }) == "#" {
            return "its key starts with '#', which Airflow reads as a comment in a .env file; use --format json or yaml"
        }
        return nil
    }

    /// Whether Python's `str.splitlines()` (or universal newlines) would break `text`.
    static func hasLineBreak(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: return true
            default: return false
            }
        }
    }
}
