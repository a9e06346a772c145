import Engine
/// Why a change was refused or failed. The message says what was wrong and what to do, and
/// never contains a value.
public struct EditError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The deployment or Strata is read-only.
        case readOnly = "read_only"
        /// The value cannot be stored (invalid id, a form the tier does not accept, Airflow would reject it).
        case invalid
        /// The value is a masked placeholder, not a value the user typed.
        case placeholder
        /// The tier holds something other than what the edit started from; nothing was written.
        case conflict
        /// The tier cannot be written at all (not configured, no writer for this backend).
        case unsupported
        /// The write failed (I/O, network, permission); the tier was left as it was when possible.
        case failed
        /// The write went through but reading it back gave something else.
        case unverified
    }

    public var kind: Kind
    /// What went wrong, without advice tied to a front end.
    public var message: String
    /// What the user can do about it, when there is something to do; each front end words it.
    public var remedy: EditRemedy?

    public init(_ kind: Kind, _ message: String, remedy: EditRemedy? = nil) {
        self.kind = kind
        self.message = message
        self.remedy = remedy
    }

    public var description: String { message }
}
