import PythonCompat
/// A secret file read exactly as Airflow's `LocalFilesystemBackend` reads it
/// (`airflow/secrets/local_filesystem.py`: `load_variables`, `load_connections_dict`).
///
/// Airflow re-reads the file on every lookup and keeps no cache; Strata reads it once per load.
public enum LocalFilesystemFile {
    /// The file formats Airflow chooses by extension.
    public enum Format: String, Sendable, Hashable {
        case env, json, yaml
    }

    /// Which Airflow's rules to follow where releases differ.
    public enum Rules: Sendable, Hashable {
        /// Airflow 3.2+ (verified against 3.3.2): `Path.suffix` picks the format, JSON/YAML values
        /// keep their types.
        case current
        /// Airflow 2.x: the text after the last `.` picks the format (so a file named `.env`
        /// works), and a JSON/YAML list value is taken for "several values" (length 1 ⇒ its
        /// element, any other length ⇒ an error) — an upstream bug kept until 3.1.
        case airflow2
    }

    /// The format Airflow picks for `path`, or Airflow's `AirflowUnsupportedFileTypeException`.
    public static func format(ofPath path: String, rules: Rules = .current) throws -> Format {
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        let extensionText: Substring
        switch rules {
        case .current:
            // pathlib's suffix: a dot that is neither the first nor the last character of the name.
            if let dot = name.lastIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex {
                extensionText = name[name.index(after: dot)...]
            } else {
                extensionText = ""
            }
        case .airflow2:
            extensionText = path.lastIndex(of: ".").map { path[path.index(after: $0)...] } ?? Substring(path)
        }
        switch extensionText.lowercased() {
        case "env": return .env
        case "json": return .json
        case "yaml", "yml": return .yaml
        default:
            throw LocalFilesystemError(
                className: rules == .current ? "AirflowUnsupportedFileTypeException" : "AirflowException",
                message: "Unsupported file format. The file must have one of the following extensions: .env .json .yaml .yml")
        }
    }

    /// One top-level entry of a parsed file: for `.env`, the value is the list of every value the
    /// key was given (Airflow's `defaultdict(list)`); otherwise the parsed value.
    struct Entry {
        var key: PythonValue
        var value: PythonValue
        /// 1-based line of the (last) occurrence, when known.
        var line: Int?
    }

    /// Airflow's `_parse_secret_file`: the entries in dict order.
    static func parseSecretFile(path: String, rules: Rules) throws -> (entries: [Entry], format: Format) {
        let (text, format) = try readSecretFile(path: path, rules: rules)
        return (try parseSecretText(text, format: format, path: path), format)
    }

    /// The first half of `_parse_secret_file`: the format Airflow picks and the file's text.
    static func readSecretFile(path: String, rules: Rules) throws -> (text: String, format: Format) {
        let format = try Self.format(ofPath: path, rules: rules)
        do {
            return (try PythonTextFile.read(path: path), format)
        } catch let error as PythonException {
            var className = error.className
            var message = error.message
            if rules == .airflow2, className == "FileNotFoundError" {
                className = "AirflowException"
                message = "File \(path) was not found. Check the configuration of your Secrets backend."
            }
            throw LocalFilesystemError(className: className, message: message)
        }
    }

    /// The second half of `_parse_secret_file`: the entries of a file's text in dict order.
    static func parseSecretText(_ text: String, format: Format, path: String) throws -> [Entry] {
        let entries: [Entry]
        let errors: [FileSyntaxError]
        switch format {
        case .env: (entries, errors) = parseEnv(text)
        case .json: (entries, errors) = try parseJSON(text)
        case .yaml: (entries, errors) = try parseYAML(text)
        }
        if let first = errors.first {
            let humanLine = format == .yaml ? (first.lineNumber >= 0 ? first.lineNumber + 1 : nil) : first.lineNumber
            throw LocalFilesystemError.parse(filePath: path, errors, humanLine: humanLine)
        }
        return entries
    }

    /// `_parse_env_file`: `KEY=value` lines split at the first `=`, nothing trimmed or unquoted.
    static func parseEnv(_ text: String) -> ([Entry], [FileSyntaxError]) {
        var order: [String] = []
        var values: [String: (values: [PythonValue], line: Int)] = [:]
        var errors: [FileSyntaxError] = []
        for (index, line) in text.pythonSplitLines().enumerated() {
            let lineNumber = index + 1
            if line.isEmpty { continue }
            // COMMENT_PATTERN = r"\s*#.*", matched at the start of the line.
            if let first = line.unicodeScalars.first(where: { !$0.isPythonWhitespace }), first == "#" { continue }
            guard let equals = line.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                errors.append(FileSyntaxError(
                    lineNumber: lineNumber,
                    message: "Invalid line format. The line should contain at least one equal sign (\"=\")."))
                continue
            }
            let key = String(line[..<equals])
            let value = String(line[line.utf8.index(after: equals)...])
            if key.isEmpty {
                errors.append(FileSyntaxError(lineNumber: lineNumber, message: "Invalid line format. Key is empty."))
                continue
            }
            if value.isEmpty {
                errors.append(FileSyntaxError(lineNumber: lineNumber, message: "Invalid line format. Value is empty."))
                continue
            }
            if values[key] == nil {
                order.append(key)
                values[key] = ([.string(value)], lineNumber)
            } else {
                values[key]!.values.append(.string(value))
                values[key]!.line = lineNumber
            }
        }
        let entries = order.map { key in
            Entry(key: .string(key), value: .list(values[key]!.values), line: values[key]!.line)
        }
        return (entries, errors)
    }

    /// `_parse_json_file`.
    static func parseJSON(_ text: String) throws -> ([Entry], [FileSyntaxError]) {
        if text.isEmpty { return ([], [FileSyntaxError(lineNumber: 1, message: "The file is empty.")]) }
        let loaded: (value: PythonValue, keyLines: [String: Int])
        do {
            loaded = try PythonJSON.loads(text)
        } catch let error as PythonJSON.DecodeError {
            return ([], [FileSyntaxError(lineNumber: error.lineno, message: error.msg)])
        } catch let error as PythonException {
            throw LocalFilesystemError(className: error.className, message: error.message)
        }
        guard case .dict(let dict) = loaded.value else {
            return ([], [FileSyntaxError(lineNumber: 1, message: "The file should contain the object.")])
        }
        var entries: [Entry] = []
        entries.reserveCapacity(dict.count)
        let keyLines = loaded.keyLines
        for (key, value) in zip(dict.keys, dict.values) {
            entries.append(Entry(key: key, value: value, line: key.stringValue.flatMap { keyLines[$0] }))
        }
        return (entries, [])
    }

    /// `_parse_yaml_file`.
    static func parseYAML(_ text: String) throws -> ([Entry], [FileSyntaxError]) {
        if text.isEmpty { return ([], [FileSyntaxError(lineNumber: 1, message: "The file is empty.")]) }
        let loaded: (value: PythonValue?, keyLines: [PythonValue.HashKey: Int])
        do {
            loaded = try PyYAML.load(text)
        } catch let error as PyYAMLError {
            guard error.isMarked else {
                throw LocalFilesystemError(className: error.className, message: error.message,
                                           quotesInput: error.quotesInput)
            }
            return ([], [FileSyntaxError(lineNumber: error.problemLine ?? -1, message: error.message)])
        } catch let error as PythonException {
            throw LocalFilesystemError(className: error.className, message: error.message)
        }
        guard case .dict(let dict)? = loaded.value else {
            return ([], [FileSyntaxError(lineNumber: 1, message: "The file should contain the object.")])
        }
        var entries: [Entry] = []
        entries.reserveCapacity(dict.count)
        let keyLines = loaded.keyLines
        for (key, value) in zip(dict.keys, dict.values) {
            entries.append(Entry(key: key, value: value, line: keyLines[key.hashKey].map { $0 + 1 }))
        }
        return (entries, [])
    }
}
