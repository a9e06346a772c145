import PythonCompat
/// An error Airflow's local-file loader raises, reproduced: the Python class name, `str()` of
/// the exception, and for `AirflowFileParseException` the file and the per-line syntax errors.
public struct LocalFilesystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `AirflowFileParseException`, `FileNotFoundError`, `AirflowUnsupportedFileTypeException`,
    /// `VariableNotUnique`, `ConnectionNotUnique`, `AirflowException`, `ValueError`, …
    public var className: String
    /// `str(exception)` exactly as Airflow prints it (no code snippet: not a TTY).
    public var message: String
    /// `file_path` of an `AirflowFileParseException`.
    public var filePath: String?
    /// `parse_errors` of an `AirflowFileParseException`.
    public var parseErrors: [FileSyntaxError]
    /// The 1-based line the problem is on, when known.
    public var line: Int?
    /// Whether `message` may quote file content (a URI with its password, a value a
    /// constructor refused); such messages are never shown, `safeMessage` is.
    public var quotesInput: Bool
    /// `ClassName: message` with what it quotes of a secret redacted (`SecretRedaction`), when
    /// the message is about a stored value; shown instead of `message`.
    public var redactedMessage: String?

    public init(className: String, message: String, filePath: String? = nil,
                parseErrors: [FileSyntaxError] = [], line: Int? = nil, quotesInput: Bool = false) {
        self.className = className
        self.message = message
        self.filePath = filePath
        self.parseErrors = parseErrors
        self.line = line
        self.quotesInput = quotesInput
    }

    /// Airflow's `AirflowFileParseException("Failed to load the secret file.", file_path, parse_errors)`.
    /// `humanLine` is the 1-based line of the first error (YAML errors carry 0-based lines).
    static func parse(filePath: String, _ errors: [FileSyntaxError], humanLine: Int?) -> LocalFilesystemError {
        var message = "Failed to load the secret file.\nFilename: \(filePath)\n\n"
        for (number, error) in errors.enumerated() {
            let index = String(number + 1)
            message += String(repeating: "=", count: 20) + " Parse error "
                + String(repeating: " ", count: max(0, 3 - index.count)) + index + " "
                + String(repeating: "=", count: 20) + "\n"
            message += error.message + "\n"
            if error.lineNumber != 0 { message += "Line number:  \(error.lineNumber)\n" }
        }
        return LocalFilesystemError(className: "AirflowFileParseException", message: message, filePath: filePath,
                                    parseErrors: errors, line: humanLine)
    }

    /// A message that is safe to show: Airflow's own text, or only the error class when the
    /// text could quote a secret.
    public var safeMessage: String {
        if let redactedMessage { return redactedMessage }
        return quotesInput ? "\(className) (details withheld: the message quotes file content)" : exactMessage
    }

    /// `ClassName: message`, unredacted: only `--reveal` may show it.
    public var exactMessage: String { message.isEmpty ? className : "\(className): \(message)" }

    public var description: String { safeMessage }
}

/// One syntax error in a secret file, as Airflow's `FileSyntaxError` (`line_no`, `message`).
/// YAML errors carry PyYAML's 0-based problem line, exactly as Airflow reports it.
public struct FileSyntaxError: Sendable, Hashable {
    public var lineNumber: Int
    public var message: String

    public init(lineNumber: Int, message: String) {
        self.lineNumber = lineNumber
        self.message = message
    }
}
