/// Text derived from something secret: what is shown by default, and the exact text that only
/// `--reveal` (or the TUI's `x`) may show.
public struct RedactedText: Sendable, Hashable, CustomStringConvertible {
    public var exact: String
    public var redacted: String

    public init(exact: String, redacted: String) {
        self.exact = exact
        self.redacted = redacted
    }

    /// Whether redaction changed anything (the exact text is worth keeping for `--reveal`).
    public var wasRedacted: Bool { exact != redacted }

    /// The text to show.
    public func text(revealed: Bool) -> String { revealed ? exact : redacted }

    /// The redacted text: interpolating a `RedactedText` never shows the secret.
    public var description: String { redacted }
}
