import PythonCompat
/// One connection of a secret file, or why Airflow's `_create_connection` refuses it.
public struct LocalFileConnectionEntry: Sendable {
    /// The key in the file.
    public var key: PythonValue
    /// The connection Airflow builds, or the error it raises for this entry alone.
    public var result: Result<Connection, LocalFilesystemError>
    /// 1-based line of the entry, when known.
    public var line: Int?
}

extension LocalFilesystemFile {
    /// The text of a file exactly as Airflow's loader reads a secret file (strict UTF-8,
    /// universal newlines, only a regular file), whatever its extension.
    public static func secretFileText(path: String) throws -> String {
        do {
            return try PythonTextFile.read(path: path)
        } catch let error as PythonException {
            throw LocalFilesystemError(className: error.className, message: error.message)
        }
    }

    /// `load_variables` of a file's text already read (what `airflow variables import` reads).
    public static func loadVariables(text: String, format: Format, path: String,
                                     rules: Rules = .current) throws -> [LocalFileVariable] {
        try variableEntries(text: text, format: format, path: path, rules: rules)
            .map { LocalFileVariable(key: $0.key, value: $0.value, line: $0.line) }
    }

    /// `load_connections_dict` of a file's text, entry by entry: an entry Airflow refuses (a
    /// URI that does not parse, illegal keys, several values for one key) is that entry's
    /// failure instead of the whole file's, so an import can report it and go on. Errors of the
    /// file as a whole (syntax, not an object) are thrown. Later entries with the same key
    /// replace earlier ones, as Python's dict does.
    public static func connectionEntries(text: String, format: Format, path: String,
                                         dialect: ConnectionDialect = .core) throws -> [LocalFileConnectionEntry] {
        let parserDialect: ConnectionDialect = dialect == .sdk ? .core : dialect
        let entries = try (format == .env ? fastEnvEntries(text) : nil) ?? parseSecretText(text, format: format, path: path)
        var result: [LocalFileConnectionEntry] = []
        var positions: [PythonValue.HashKey: Int] = [:]
        for entry in entries {
            let item = LocalFileConnectionEntry(key: entry.key, result: connectionResult(entry, path: path, dialect: parserDialect),
                                                line: entry.line)
            if let position = positions[entry.key.hashKey] {
                result[position] = item
            } else {
                positions[entry.key.hashKey] = result.count
                result.append(item)
            }
        }
        return result
    }

    /// `_create_connection` for one entry, its failure kept as the entry's.
    private static func connectionResult(_ entry: Entry, path: String,
                                         dialect: ConnectionDialect) -> Result<Connection, LocalFilesystemError> {
        var value = entry.value
        if case .list(let items) = entry.value {
            guard items.count == 1 else {
                return .failure(LocalFilesystemError(className: "ConnectionNotUnique",
                                                     message: "Found multiple values for \(entry.key.pythonStr) in \(path).",
                                                     line: entry.line))
            }
            value = items[0]
        }
        do {
            return .success(try createConnection(key: entry.key, value: value, dialect: dialect, line: entry.line))
        } catch let error as LocalFilesystemError {
            return .failure(error)
        } catch {
            return .failure(LocalFilesystemError(className: "Exception", message: "the entry cannot be read", line: entry.line))
        }
    }
}
