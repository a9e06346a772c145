/// A failure of one of Strata's clients (a database, Vault, Airflow's API): what kind it is,
/// for the code that reacts to it, and a message for people that says what to do — never a
/// secret, a token or a value.
public struct KindedFailure<FailureKind: Hashable & Sendable>: Error, Sendable, Hashable, CustomStringConvertible {
    public typealias Kind = FailureKind

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The same message as the tier error the resolver shows, for a tier that could not be read.
    public var tierError: TierError { TierError(message) }
}
