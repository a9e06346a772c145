/// Why an export or import could not be done at all (a bad request, an unreadable file). The
/// message says what to do and never holds a value.
public struct TransferError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
