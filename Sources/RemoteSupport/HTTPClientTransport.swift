import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import Engine

/// The remote tiers' HTTP transport: async-http-client with a connection pool, a connect
/// timeout, and each request's own deadline. TLS trusts the system roots plus an optional
/// PEM bundle; it is never disabled.
public final class HTTPClientTransport: HTTPTransport, @unchecked Sendable {
    // `client` is immutable after init and HTTPClient is thread-safe; shutdown is guarded.
    private let client: HTTPClient
    private let ownsClient: Bool
    private let lock = NSLock()
    private var isShutDown = false
    /// The largest response body accepted; remote tiers never need more.
    public let maximumBodySize: Int
    /// Where every request is recorded (host, operation, status, duration; never a header,
    /// body or query); nil records nothing.
    public let log: OperationLog?

    /// A transport with its own pooled client. Call `shutdown()` when done with it.
    public init(tls: TLSSettings = .init(), connectTimeout: Duration = .seconds(5),
                connectionsPerHost: Int = 16, maximumBodySize: Int = 32 << 20, log: OperationLog? = .session) throws {
        self.client = try Self.makeClient(tls: tls, connectTimeout: connectTimeout, connectionsPerHost: connectionsPerHost)
        self.ownsClient = true
        self.maximumBodySize = maximumBodySize
        self.log = log
    }

    private init(sharedClient: HTTPClient, maximumBodySize: Int, log: OperationLog?) {
        self.client = sharedClient
        self.ownsClient = false
        self.maximumBodySize = maximumBodySize
        self.log = log
    }

    deinit {
        if ownsClient && !isShutDown { try? client.syncShutdown() }
    }

    /// A transport over a process-wide client for these TLS settings (created once, never shut
    /// down): what the app uses, so that every tier with the same trust shares one pool.
    public static func shared(tls: TLSSettings = .init(), log: OperationLog? = .session) throws -> HTTPClientTransport {
        try SharedClients.shared.transport(for: tls, log: log)
    }

    /// Closes the pooled connections. Transports from `shared(tls:)` ignore it.
    public func shutdown() async throws {
        guard ownsClient else { return }
        let alreadyDown: Bool = lock.withLock {
            defer { isShutDown = true }
            return isShutDown
        }
        if !alreadyDown { try await client.shutdown() }
    }

    public func send(_ request: Engine.HTTPRequest) async throws -> Engine.HTTPResponse {
        guard let log else { return try await exchange(request) }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await exchange(request)
            log.record(RemoteCallRecord.entry(for: request, status: response.status, duration: clock.now - start))
            return response
        } catch {
            log.record(RemoteCallRecord.entry(for: request, failure: error, duration: clock.now - start))
            throw error
        }
    }

    private func exchange(_ request: Engine.HTTPRequest) async throws -> Engine.HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let deadline = TimeAmount.nanoseconds(max(1_000_000, Self.nanoseconds(request.timeout)))
        do {
            let response = try await client.execute(outgoing, timeout: deadline)
            let body = try await response.body.collect(upTo: maximumBodySize)
            return Engine.HTTPResponse(status: Int(response.status.code),
                                       headers: response.headers.map { (name: $0.name, value: $0.value) },
                                       body: Array(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
                    || error == .connectTimeout {
            throw TransportFailure(.timeout, host: request.url.displayHost,
                                   detail: "no answer within \(Self.seconds(request.timeout)) s")
        } catch let error where error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            throw TransportFailure(.tls, host: request.url.displayHost,
                                   detail: "the TLS certificate is not trusted or does not match (\(Self.short(error)))")
        } catch let error as TransportFailure {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportFailure(.unreachable, host: request.url.displayHost, detail: Self.short(error))
        }
    }

    static func makeClient(tls: TLSSettings, connectTimeout: Duration, connectionsPerHost: Int) throws -> HTTPClient {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if let path = tls.caBundlePath {
            do {
                tlsConfiguration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(path))]
            } catch {
                throw TransportFailure(.tls, host: path, detail: "cannot read the CA bundle as PEM certificates")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tlsConfiguration)
        configuration.connectionPool = .init(idleTimeout: .seconds(30),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A refused connection fails at once; RetryPolicy decides what to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .nanoseconds(nanoseconds(connectTimeout))
        configuration.decompression = .enabled(limit: .ratio(50))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(nanoseconds(duration)) / 1e9
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A transport error as short text with nothing request-specific (no headers, no body).
    static func short(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// One client per distinct TLS setting, for the life of the process.
    private final class SharedClients: @unchecked Sendable {
        static let shared = SharedClients()
        private let lock = NSLock()
        private var clients: [TLSSettings: HTTPClient] = [:]

        func transport(for tls: TLSSettings, log: OperationLog?) throws -> HTTPClientTransport {
            try lock.withLock {
                if let client = clients[tls] { return HTTPClientTransport(sharedClient: client, maximumBodySize: 32 << 20, log: log) }
                let client = try HTTPClientTransport.makeClient(tls: tls, connectTimeout: .seconds(5), connectionsPerHost: 16)
                clients[tls] = client
                return HTTPClientTransport(sharedClient: client, maximumBodySize: 32 << 20, log: log)
            }
        }
    }
}
