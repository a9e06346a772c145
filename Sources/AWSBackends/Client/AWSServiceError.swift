import Foundation

/// An error answer from an AWS service, or a reply Strata cannot read. The message names the
/// service, operation and what to do; it never holds a secret value, key or signature.
public struct AWSServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case accessDenied
        case notFound
        case throttled
        case serverError
        case expiredCredentials
        case invalidCredentials
        case badSignature
        case invalidRequest
        case malformedReply
        case unreachable
        case other
    }

    public var kind: Kind
    /// The AWS error code (`AccessDeniedException`), or "" for transport and parse failures.
    public var code: String
    public var service: AWSService
    public var operation: String
    public var status: Int
    /// The service's message, cleaned of anything request-specific.
    public var serviceMessage: String
    /// For `accessDenied`: the IAM action and resource, e.g. `secretsmanager:GetSecretValue`.
    public var deniedAction: String?
    public var deniedResource: String?

    public var description: String {
        let call = "\(service.displayName) \(operation)"
        switch kind {
        case .accessDenied:
            let what = (deniedAction ?? "\(service.rawValue):\(operation)") + " on " + (deniedResource ?? "the resource")
            return "IAM denies \(what) (\(code)); grant that action to the credentials in use."
        case .expiredCredentials:
            return "\(call) refused the credentials as expired (\(code)); renew the session token or the keys."
        case .invalidCredentials:
            return "\(call) does not know the access key (\(code)); check the key id and that it belongs to this account and partition."
        case .badSignature:
            return "\(call) rejected the request signature (\(code)); check the secret access key and the clock."
        case .throttled:
            return "\(call) kept throttling the requests (\(code)) after the retries; try again later or raise the quota."
        case .serverError:
            return "\(call) failed on the service side (HTTP \(status) \(code)) after the retries."
        case .malformedReply:
            return "\(call) sent a reply Strata cannot read (\(serviceMessage)); check that the endpoint is a real \(service.displayName) endpoint."
        case .unreachable:
            return "\(call): \(serviceMessage)"
        case .notFound, .invalidRequest, .other:
            return "\(call) failed: \(code)\(serviceMessage.isEmpty ? "" : ": " + serviceMessage)"
        }
    }

    static func kind(code: String, status: Int) -> Kind {
        switch code {
        case "AccessDeniedException", "AccessDenied", "AccessDeniedFault", "UnauthorizedOperation":
            return .accessDenied
        case "ResourceNotFoundException", "ParameterNotFound", "NoSuchEntity":
            return .notFound
        case "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
             "ThrottledException", "RequestThrottled", "RequestThrottledException", "SlowDown",
             "ProvisionedThroughputExceededException":
            return .throttled
        case "ExpiredTokenException", "ExpiredToken", "RequestExpired", "TokenRefreshRequired":
            return .expiredCredentials
        case "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId":
            return .invalidCredentials
        case "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature":
            return .badSignature
        case "InternalServiceError", "InternalFailure", "InternalServerError", "ServiceUnavailable", "InternalError":
            return .serverError
        default:
            if status == 429 { return .throttled }
            if status >= 500 { return .serverError }
            if status == 403 { return .accessDenied }
            return code.hasSuffix("ValidationException") || code.hasPrefix("Invalid") ? .invalidRequest : .other
        }
    }

    /// The service message without the canonical request or string-to-sign AWS echoes on
    /// signature errors (they can hold the session token), without given secrets, and short.
    static func sanitize(_ message: String, redacting secrets: [String]) -> String {
        var text = message
        for marker in ["The Canonical String", "The String-to-Sign", "Canonical String for this request"] {
            if let range = text.range(of: marker) { text = String(text[..<range.lowerBound]) }
        }
        for secret in secrets where secret.count >= 4 { text = text.replacingOccurrences(of: secret, with: "****") }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// "… is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:… because …"
    static func deniedParts(_ message: String) -> (action: String?, resource: String?) {
        func word(after marker: String) -> String? {
            guard let range = message.range(of: marker) else { return nil }
            let rest = message[range.upperBound...].drop { $0 == " " }
            let token = rest.prefix { !$0.isWhitespace }
            return token.isEmpty ? nil : String(token).trimmingCharacters(in: CharacterSet(charactersIn: ".,;"))
        }
        return (word(after: "to perform:"), word(after: "on resource:"))
    }
}
