import Foundation

/// Why a request got no HTTP answer. The message names the host, never a header or a body.
public struct TransportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Connection refused, DNS failure, reset…
        case unreachable
        /// No answer within the request's deadline.
        case timeout
        /// Certificate not trusted or not matching.
        case tls
        /// An answer Strata will not use: larger than the cap, not the protocol the URL
        /// names (plain HTTP at an https URL or TLS at an http one), a redirect loop.
        case badReply
    }

    public var kind: Kind
    /// `host:port` of the request (or the CA bundle path for `tls` set-up failures).
    public var host: String
    public var detail: String

    public init(_ kind: Kind, host: String, detail: String) {
        self.kind = kind
        self.host = host
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .unreachable: return "cannot reach \(host): \(detail)"
        case .timeout: return "\(host) did not answer in time (\(detail))"
        case .tls: return "TLS with \(host) failed: \(detail). If the service uses a private CA, name its PEM bundle; Strata never turns verification off"
        case .badReply: return "\(host) \(detail)"
        }
    }

    /// Whether trying again may help (a timeout or a dropped connection, not a bad certificate).
    public var isTransient: Bool { kind == .timeout || kind == .unreachable }
}

extension URL {
    /// `host:port` (or just the host) for messages; never the path or query.
    public var displayHost: String {
        guard let host else { return "(no host)" }
        return port.map { "\(host):\($0)" } ?? host
    }
}
