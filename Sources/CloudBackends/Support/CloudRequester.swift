import Foundation
import Engine
import RemoteSupport

/// Sends requests through a transport with the retry policy, and turns transport failures
/// into messages that name the host (never a header or body).
struct CloudRequester: Sendable {
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let clock: any WallClock
    /// "Secret Manager", "Key Vault", "the Google token endpoint"… for messages.
    let service: String

    /// Sends `request`, retrying what is retryable (RemoteSupport's one retry loop, which
    /// keeps every wait within the tier's deadline). Returns the last response, whatever its status.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await retry.send(through: transport, clock: clock) { request }.response
        } catch let error as CloudFailure {
            throw error
        } catch let failure as TransportFailure {
            switch failure.kind {
            case .tls:
                throw CloudFailure(.unavailable, "cannot talk to \(service): \(failure). Name the PEM bundle of a private CA in "
                                   + "SSL_CERT_FILE or REQUESTS_CA_BUNDLE in the deployment's environment.")
            case .badReply:
                throw CloudFailure(.unavailable, "cannot use \(service)'s reply: \(failure).")
            case .timeout, .unreachable:
                throw CloudFailure(.unavailable, "could not reach \(service) at \(request.url.hostAndPort): \(failure). "
                                   + "Check the URL, the network and, for HTTPS with a private CA, SSL_CERT_FILE or REQUESTS_CA_BUNDLE.")
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CloudFailure(.unavailable, "could not reach \(service) at \(request.url.hostAndPort): \(Self.describe(error)).")
        }
    }

    /// This requester without retries, for probing metadata endpoints that are absent off-cloud
    /// (a laptop has no 169.254.169.254; waiting for retries there only delays the message).
    func withoutRetries() -> CloudRequester {
        CloudRequester(transport: transport, retry: .none, clock: clock, service: service)
    }

    /// A transport error as text without anything request-specific.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

extension URL {
    /// `host:port` (or just the host) for messages; never the path or query.
    var hostAndPort: String {
        guard let host else { return absoluteString }
        return port.map { "\(host):\($0)" } ?? host
    }
}

extension HTTPResponse {
    /// Whether the status is 2xx.
    var isSuccess: Bool { (200..<300).contains(status) }

    /// The wait the service asked for, as text for messages ("Retry-After: 30 s").
    var retryAfterText: String {
        // Only a valid value is shown: the header is outside text.
        guard let wait = RetryAfter.parse(header("Retry-After"), now: Date()) else { return "" }
        return " (the service asked to retry after \(wait.secondsText) s)"
    }
}
