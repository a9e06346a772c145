import Foundation

/// An AWS access key pair, with the session token of temporary credentials. Its description
/// shows only where it came from and the key id's last four characters, never the secret.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working, if known.
    public var expiration: Date?
    /// Where they came from: "backend kwargs", "env AWS_ACCESS_KEY_ID", "profile dev in ~/.aws/credentials"…
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
                expiration: Date? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// `…MPLE` — enough to tell keys apart in a message.
    public var maskedKeyID: String { "…" + String(accessKeyID.suffix(4)) }

    public var description: String { "AWS key \(maskedKeyID) from \(source)" }
    public var debugDescription: String { description }
}
