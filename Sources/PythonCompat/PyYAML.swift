/// PyYAML's `yaml.safe_load` with the libyaml C loader (`CSafeLoader`), which is what Airflow
/// uses to read YAML secret files: YAML 1.1 typing (`yes`/`on` → `True`, `017` → 15, `0o17` and
/// `1.5e3` stay strings, dates and datetimes, base-60 numbers), anchors, merge keys, duplicate keys
/// where the last one wins, and PyYAML's error messages and marks.
///
/// libyaml does the scanning and parsing (through the CYaml module Yams ships); the composer,
/// the resolver and the constructor follow PyYAML's `_yaml.pyx`, `resolver.py` and
/// `constructor.py`, because Yams's own composer rejects duplicate keys and resolves YAML 1.2.
public enum PyYAML {
    /// `yaml.safe_load(text)`: `nil` for an empty stream (Python's `None` document is `.none`).
    public static func safeLoad(_ text: String) throws -> PythonValue? {
        try load(text).value
    }

    /// The loaded document, with the 0-based line of each top-level mapping key (the
    /// occurrence whose value won) when the document is a mapping.
    package static func load(_ text: String) throws -> (value: PythonValue?, keyLines: [PythonValue.HashKey: Int]) {
        guard let root = try YAMLComposer.composeSingleDocument(text) else { return (nil, [:]) }
        var constructor = YAMLConstructor()
        constructor.keyLinesNode = root
        let value = try constructor.construct(root)
        if case .mapping = root.kind, case .dict = value { return (value, constructor.keyLines) }
        return (value, [:])
    }
}

/// A position in a YAML document, 0-based as PyYAML's `Mark` holds it.
public struct YAMLMark: Sendable, Hashable {
    public var line: Int
    public var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// How PyYAML prints a mark from the C loader (no snippet).
    package var pythonDescription: String {
        "  in \"<unicode string>\", line \(line + 1), column \(column + 1)"
    }
}

/// An exception `yaml.safe_load` raises, as Python would show it.
public struct PyYAMLError: Error, Sendable, Hashable {
    /// `ScannerError`, `ParserError`, `ComposerError`, `ConstructorError` (all `MarkedYAMLError`),
    /// `ReaderError`, or a plain Python error a constructor let through (`ValueError`, `KeyError`).
    public var className: String
    /// `str(exception)`.
    public var message: String
    /// The problem mark's 0-based line, which Airflow reports as the error's line number.
    public var problemLine: Int?
    /// Whether this is a `MarkedYAMLError`, which Airflow turns into a file parse error;
    /// any other error escapes Airflow's loader as it is.
    public var isMarked: Bool
    /// Whether `message` may quote document text (a constructor's `ValueError`), so it must not
    /// be shown where a secret could be.
    public var quotesInput: Bool

    /// A `MarkedYAMLError`, formatted as PyYAML's `MarkedYAMLError.__str__` does.
    package static func marked(_ className: String, context: String?, contextMark: YAMLMark?,
                       problem: String?, problemMark: YAMLMark?) -> PyYAMLError {
        var lines: [String] = []
        if let context { lines.append(context) }
        if let contextMark, problem == nil || problemMark == nil || contextMark != problemMark {
            lines.append(contextMark.pythonDescription)
        }
        if let problem { lines.append(problem) }
        if let problemMark { lines.append(problemMark.pythonDescription) }
        return PyYAMLError(className: className, message: lines.joined(separator: "\n"),
                           problemLine: problemMark?.line, isMarked: true, quotesInput: false)
    }

    /// A Python error raised while constructing a value (not a `MarkedYAMLError`).
    package static func python(_ className: String, _ message: String, quotesInput: Bool = true) -> PyYAMLError {
        PyYAMLError(className: className, message: message, problemLine: nil, isMarked: false,
                    quotesInput: quotesInput)
    }
}
