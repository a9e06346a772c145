import ArgumentParser

/// A failure the user can act on: the message says what was wrong and what to do.
/// Exit code 1 for failures, 2 for usage errors.
public struct CLIError: Error, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public static func usage(_ message: String) -> CLIError { CLIError(message, exitCode: 2) }

    public var description: String { message }
}
