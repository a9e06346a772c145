import Foundation

/// Reading values from standard input, so secrets stay out of argv and shell history.
enum StandardInput {
    /// `argument` itself, or all of standard input when it is `-` (one trailing newline
    /// removed, as `echo` and heredocs add one).
    static func valueOrStdin(_ argument: String, what: String) throws -> String {
        guard argument == "-" else { return argument }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard var text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(what) read from standard input is not UTF-8 text.")
        }
        if text.hasSuffix("\r\n") { text.removeLast(1) } else if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Whether standard input is a terminal someone can answer a prompt on.
    static var isTerminal: Bool { isatty(0) == 1 }

    /// One line typed by the user, without its newline.
    static func readLine() -> String? {
        Swift.readLine(strippingNewline: true)
    }
}
