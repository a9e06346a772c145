import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import Engine

/// The cloud tiers' default transport: async-http-client, one shared client per CA bundle,
/// trusting that PEM bundle in addition to the system roots (never instead of verification).
/// PENDING: RemoteSupport's HTTPClientTransport replaces this when it lands.
enum SharedHTTPClientTransport {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var clients: [String: HTTPClient] = [:]

    static func make(caBundlePath: String?) throws -> any HTTPTransport {
        lock.lock(); defer { lock.unlock() }
        let key = caBundlePath ?? ""
        if let client = clients[key] { return Transport(client: client) }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caBundlePath {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caBundlePath))]
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // Fail fast on a refused connection or an untrusted certificate; CloudRetryPolicy decides what to retry.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        // Clients live for the whole process (shared by every tier that uses this bundle).
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[key] = client
        return Transport(client: client)
    }

    struct Transport: HTTPTransport {
        let client: HTTPClient

        func send(_ request: Engine.HTTPRequest) async throws -> Engine.HTTPResponse {
            var outgoing = HTTPClientRequest(url: request.url.absoluteString)
            outgoing.method = HTTPMethod(rawValue: request.method)
            for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
            if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
            let seconds = request.timeout.components.seconds
            let response: HTTPClientResponse
            do {
                response = try await client.execute(outgoing, timeout: .seconds(max(1, seconds)))
            } catch let error where error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
                throw CloudFailure(.unavailable, "the TLS certificate of \(request.url.hostAndPort) is not trusted or does not match "
                                   + "(\(CloudRequester.describe(error))). If the service uses a private CA, name its PEM bundle in "
                                   + "SSL_CERT_FILE or REQUESTS_CA_BUNDLE in the deployment's environment; Strata never turns verification off.")
            }
            let body = try await response.body.collect(upTo: 32 << 20)
            return Engine.HTTPResponse(status: Int(response.status.code),
                                       headers: response.headers.map { (name: $0.name, value: $0.value) },
                                       body: Array(body.readableBytesView))
        }
    }
}
