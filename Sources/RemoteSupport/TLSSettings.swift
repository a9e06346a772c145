/// How a remote tier's HTTPS connections are verified. Verification is never turned off;
/// a private CA is trusted by naming its PEM bundle, in addition to the system roots.
public struct TLSSettings: Sendable, Hashable {
    /// A PEM file of extra trusted certificates (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, `verify`), or `nil`.
    public var caBundlePath: String?

    public init(caBundlePath: String? = nil) {
        self.caBundlePath = caBundlePath
    }
}
