import PythonCompat
/// A variable as Airflow's `load_variables` returns it.
public struct LocalFileVariable: Sendable, Hashable {
    /// The key as parsed: a `str`, or — in YAML — possibly an `int`, `bool`, date… which
    /// Airflow's `dict.get(key)` with a string key never finds.
    public var key: PythonValue
    /// The value with its Python type (`.env` values are always `str`).
    public var value: PythonValue
    /// 1-based line of the entry in the file, when known.
    public var line: Int?

    public init(key: PythonValue, value: PythonValue, line: Int? = nil) {
        self.key = key
        self.value = value
        self.line = line
    }
}

extension LocalFilesystemFile {
    /// Airflow's `load_variables(path)`: every variable in file order, or the error Airflow raises.
    public static func loadVariables(path: String, rules: Rules = .current) throws -> [LocalFileVariable] {
        try variableEntries(path: path, rules: rules).map { LocalFileVariable(key: $0.key, value: $0.value, line: $0.line) }
    }

    /// `loadVariables`, optionally without the fast path for the common YAML shape (the
    /// agreement tests compare both).
    static func loadVariables(path: String, rules: Rules, fastPath: Bool) throws -> [LocalFileVariable] {
        try variableEntries(path: path, rules: rules, fastPath: fastPath)
            .map { LocalFileVariable(key: $0.key, value: $0.value, line: $0.line) }
    }

    /// `load_variables` as entries (key, value, line), without building `LocalFileVariable`s.
    /// Files of the common shapes — YAML: a flat mapping of one-line scalars; JSON: an object
    /// of strings; `.env`: `KEY=value` lines, each key once — are read by fast paths; anything
    /// else, and every error, by the general one.
    static func variableEntries(path: String, rules: Rules, fastPath: Bool = true) throws -> [Entry] {
        let (text, format) = try readSecretFile(path: path, rules: rules)
        return try variableEntries(text: text, format: format, path: path, rules: rules, fastPath: fastPath)
    }

    /// `variableEntries` of a file's text already read.
    static func variableEntries(text: String, format: Format, path: String, rules: Rules,
                                fastPath: Bool = true) throws -> [Entry] {
        if fastPath, format == .yaml, let entries = fastYAMLEntries(text) {
            // Only scalars: no list for the "several values" rule to look at.
            return entries
        }
        if fastPath, format == .json, let entries = fastJSONVariableEntries(text) {
            // Only strings: no list for the "several values" rule to look at.
            return entries
        }
        if fastPath, format == .env, let entries = fastEnvEntries(text) {
            // One value per key: the "several values" rule has nothing to refuse.
            return entries
        }
        var entries = try parseSecretText(text, format: format, path: path)
        if format == .env || rules == .airflow2 {
            // A list means "several values" for .env (always) and for every format before 3.2.
            let invalid = entries.filter { entry in
                if case .list(let values) = entry.value { return values.count != 1 }
                return false
            }
            if !invalid.isEmpty {
                let keys = "[" + invalid.map(\.key.pythonRepr).joined(separator: ", ") + "]"
                throw LocalFilesystemError(
                    className: rules == .current ? "VariableNotUnique" : "AirflowException",
                    message: "The \"\(path)\" file contains multiple values for keys: \(keys)",
                    line: invalid.first?.line)
            }
            for index in entries.indices {
                if case .list(let values) = entries[index].value { entries[index].value = values[0] }
            }
        }
        return entries
    }
}

extension LocalFilesystemFile {
    /// The variables of a file of a common shape (those the fast paths take) as rows over its
    /// text, or `nil` for any other file. Values read from the rows are `str` — or, in YAML, a
    /// plain scalar's type — exactly as the entries of `variableEntries` are.
    static func variableRows(text: String, format: Format) -> LocalFileRows? {
        text.withSharedUTF8 { bytes in
            switch format {
            case .env: return fastEnvRows(bytes)
            case .json: return fastJSONVariableRows(bytes)
            case .yaml: return fastYAMLRows(bytes)
            }
        }
    }

    /// The entries the rows of a fast path stand for (key, value, line), in row order.
    static func entries(of rows: LocalFileRows, format: Format, _ bytes: UnsafeBufferPointer<UInt8>) -> [Entry] {
        (0..<rows.count).map { row in
            Entry(key: .string(LocalFileRows.string(rows[row].keyRange, bytes)),
                  value: variableRowValue(rows, row, format: format, bytes), line: Int(rows[row].line))
        }
    }

    /// The value of row `row` of `variableRows`.
    static func variableRowValue(_ rows: LocalFileRows, _ row: Int, format: Format,
                                 _ bytes: UnsafeBufferPointer<UInt8>) -> PythonValue {
        switch format {
        case .env: return .string(LocalFileRows.string(rows[row].valueRange, bytes))
        case .json: return .string(jsonVariableValue(rows, row, bytes))
        case .yaml: return yamlVariableValue(rows, row, bytes) ?? .none
        }
    }
}
