/// How long Strata waits for a deployment's remote services. The defaults answer a whole
/// `strata list` within 30 s while a service is down: a connection gets 5 s, one request
/// (head and whole body) 10 s, and one tier's whole load (every request, retry and token
/// fetch) 25 s, after which the tier shows as failed and the others show as usual.
public struct RemoteTimeouts: Sendable, Hashable {
    /// Opening a TCP connection (and its TLS handshake).
    public var connect: Duration
    /// One request, from sending it to the last byte of its reply.
    public var request: Duration
    /// One tier's whole load, retries and token fetches included.
    public var tier: Duration

    public init(connect: Duration, request: Duration, tier: Duration) {
        self.connect = connect
        self.request = request
        self.tier = tier
    }

    /// connect 5 s, request 10 s, tier 25 s.
    public static let standard = RemoteTimeouts(connect: .seconds(5), request: .seconds(10), tier: .seconds(25))

    /// The seconds a timeout setting may take: long enough for any real service, short enough
    /// that no computation with it can overflow.
    public static let acceptedSeconds: ClosedRange<Double> = 0.1...3600

    /// `seconds` as a duration, or `nil` when it is not a finite number in `range`.
    public static func duration(seconds: Double, in range: ClosedRange<Double> = acceptedSeconds) -> Duration? {
        guard seconds.isFinite, range.contains(seconds) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

extension Duration {
    /// Whole and fractional seconds, for messages ("2", "0.5").
    public var secondsText: String {
        let (seconds, attoseconds) = components
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? String(seconds) : "\(seconds).\(tenths)"
    }
}
