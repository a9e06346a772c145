import Foundation
import Engine
import RemoteSupport

/// Sends requests through a transport with the retry policy, and turns transport failures
/// into messages that name the host (never a header or body).
struct CloudRequester: Sendable {
    let transport: any HTTPTransport
    let retry: CloudRetryPolicy
    let clock: any WallClock
    /// "Secret Manager", "Key Vault", "the Google token endpoint"… for messages.
    let service: String

    /// Sends `request`, retrying what is retryable. Returns the last response, whatever its status.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 1
        while true {
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let error as CloudFailure {
                throw error
            } catch let failure as TransportFailure where !failure.isTransient {
                throw CloudFailure(.unavailable, "cannot talk to \(service): \(failure). Name the PEM bundle of a private CA in "
                                   + "SSL_CERT_FILE or REQUESTS_CA_BUNDLE in the deployment's environment.")
            } catch {
                if attempt < retry.maxAttempts, !(error is CancellationError) {
                    try await Task.sleep(for: retry.backoff(after: attempt))
                    attempt += 1
                    continue
                }
                throw CloudFailure(.unavailable, "could not reach \(service) at \(request.url.hostAndPort) "
                                   + "after \(attempt) attempt(s): \(Self.describe(error)). Check the URL, the network "
                                   + "and, for HTTPS with a private CA, SSL_CERT_FILE or REQUESTS_CA_BUNDLE.")
            }
            guard CloudRetryPolicy.retryableStatuses.contains(response.status), attempt < retry.maxAttempts else {
                return response
            }
            let asked = CloudRetryPolicy.retryAfter(response.header("Retry-After"), now: clock.now())
            if let asked, asked > retry.maxDelay { return response }
            try await Task.sleep(for: asked ?? retry.backoff(after: attempt))
            attempt += 1
        }
    }

    /// This requester without retries, for probing metadata endpoints that are absent off-cloud
    /// (a laptop has no 169.254.169.254; waiting for retries there only delays the message).
    func withoutRetries() -> CloudRequester {
        CloudRequester(transport: transport, retry: CloudRetryPolicy(maxAttempts: 1), clock: clock, service: service)
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
        guard let value = header("Retry-After") else { return "" }
        return " (the service asked to retry after \(value) s)"
    }
}
