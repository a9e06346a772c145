import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import Engine

/// An async-http-client transport for the tests, trusting the given PEM bundle besides the
/// system roots. PENDING: RemoteSupport's HTTPClientTransport replaces it when it lands.
enum TestTransport {
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
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: HTTPClient.Configuration(tlsConfiguration: tls))
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
            let response = try await client.execute(outgoing, timeout: .seconds(max(1, seconds)))
            let body = try await response.body.collect(upTo: 32 << 20)
            return Engine.HTTPResponse(status: Int(response.status.code),
                                       headers: response.headers.map { (name: $0.name, value: $0.value) },
                                       body: Array(body.readableBytesView))
        }
    }
}
