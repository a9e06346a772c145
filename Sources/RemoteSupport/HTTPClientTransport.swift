import Foundation
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import Engine

/// The remote tiers' HTTP transport: async-http-client with a connection pool, a connect
/// timeout, and each request's own deadline. TLS trusts the system roots plus an optional
/// PEM bundle; it is never disabled.
///
/// `@unchecked Sendable`: `client` never changes after init and HTTPClient is thread-safe; the rest is under `lock`.
public final class HTTPClientTransport: HTTPTransport, @unchecked Sendable {
    // `client` is immutable after init and HTTPClient is thread-safe; shutdown is guarded.
    private let client: HTTPClient
    private let ownsClient: Bool
    /// The TLS settings of a shared transport, whose client is chosen per connect timeout.
    private var sharedTLS: TLSSettings? = nil
    private let lock = NSLock()
    private var isShutDown = false
    /// The largest response body accepted; remote tiers never need more.
    public let maximumBodySize: Int
    /// Where every request is recorded (host, operation, status, duration; never a header,
    /// body or query); nil records nothing.
    public let log: OperationLog?

    /// A transport with its own pooled client. Call `shutdown()` when done with it.
    /// `http1Only` turns off HTTP/2, which is otherwise used wherever a TLS server offers it
    /// (ALPN): for comparing the two.
    public init(tls: TLSSettings = .init(), connectTimeout: Duration = .seconds(5),
                connectionsPerHost: Int = 16, maximumBodySize: Int = 32 << 20, log: OperationLog? = .session,
                http1Only: Bool = false) throws {
        self.client = try Self.makeClient(tls: tls, connectTimeout: connectTimeout, connectionsPerHost: connectionsPerHost,
                                          http1Only: http1Only)
        self.ownsClient = true
        self.maximumBodySize = maximumBodySize
        self.log = log
    }

    private init(sharedClient: HTTPClient, tls: TLSSettings, maximumBodySize: Int, log: OperationLog?) {
        self.client = sharedClient
        self.sharedTLS = tls
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

    /// One request within one deadline that covers connecting, the head and the whole body:
    /// a server that never answers, stalls after its headers or drips bytes ends at the
    /// deadline. The deadline runs on the event loop (async-http-client's request deadline,
    /// which the delegate API applies until the last byte), so a busy task pool cannot make a
    /// reply that arrived in time look late.
    private func exchange(_ request: Engine.HTTPRequest) async throws -> Engine.HTTPResponse {
        let host = request.url.displayHost
        let timeout = RemoteDeadline.requestTimeout(asked: request.timeout)
        guard !RemoteDeadline.hasPassed else {
            let tier = RemoteDeadline.current?.timeouts.tier.secondsText ?? "?"
            let last = RemoteDeadline.current?.faults.last.map { "; last problem: \($0)" } ?? ""
            throw TransportFailure(.timeout, host: host, detail: "the tier's deadline of \(tier) s passed before this request\(last)")
        }
        var headers = HTTPHeaders()
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        let outgoing: HTTPClient.Request
        do {
            outgoing = try HTTPClient.Request(url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                                              body: request.body.isEmpty ? nil : .bytes(request.body))
        } catch {
            throw TransportFailure(.unreachable, host: host, detail: "the URL cannot be requested (\(Self.short(error)))")
        }
        let cap = maximumBodySize
        let isHTTPS = request.url.scheme?.lowercased() == "https"
        let delegate = CollectingDelegate(cap: cap)
        let deadline = NIODeadline.now() + .nanoseconds(max(1_000_000, Self.nanoseconds(timeout)))
        let task = clientForRequest().execute(request: outgoing, delegate: delegate, deadline: deadline)
        do {
            let (head, body) = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            let reply = Engine.HTTPResponse(status: Int(head.status.code),
                                            headers: head.headers.map { (name: $0.name, value: $0.value) },
                                            body: Array(body.readableBytesView),
                                            httpVersion: "HTTP/\(head.version.major).\(head.version.minor)")
            if !isHTTPS, reply.status == 400,
               String(decoding: reply.body.prefix(200), as: UTF8.self).contains("HTTP request to an HTTPS server") {
                throw TransportFailure(.badReply, host: host, detail: "speaks TLS, but the URL says http://: use https://")
            }
            return reply
        } catch let failure as TransportFailure {
            RemoteDeadline.note(failure.description)
            throw failure
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if error is CollectingDelegate.TooLarge {
                let failure = Self.oversize(host: host, cap: cap)
                RemoteDeadline.note(failure.description)
                throw failure
            }
            if let clientError = error as? HTTPClientError, clientError == .deadlineExceeded || clientError == .readTimeout {
                let failure = TransportFailure(.timeout, host: host, detail: delegate.headReceived
                    ? "sent its headers, then the rest of the reply did not arrive within \(timeout.secondsText) s (stalled or too slow)"
                    : "no answer within \(timeout.secondsText) s")
                RemoteDeadline.note(failure.description)
                throw failure
            }
            guard let failure = Self.failure(error, host: host, isHTTPS: isHTTPS, timeout: timeout, cap: cap) else {
                throw CancellationError()
            }
            RemoteDeadline.note(failure.description)
            throw failure
        }
    }

    /// The transport failure an async-http-client, NIO or TLS error stands for, or `nil` for a cancellation.
    static func failure(_ error: any Error, host: String, isHTTPS: Bool, timeout: Duration, cap: Int) -> TransportFailure? {
        if error is CancellationError { return nil }
        if error is NIOTooManyBytesError { return oversize(host: host, cap: cap) }
        let text = String(describing: error)
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return nil
            case .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return TransportFailure(.timeout, host: host, detail: "no answer within \(timeout.secondsText) s")
            case .tlsHandshakeTimeout:
                return TransportFailure(.timeout, host: host, detail: "no TLS handshake within the connect timeout "
                                        + "(if that port speaks plain HTTP, use http://)")
            case .redirectCycleDetected, .redirectLimitReached:
                return TransportFailure(.badReply, host: host, detail: "redirects in a loop (or more than 5 times); "
                                        + "check that the URL is the service's API address")
            case .remoteConnectionClosed:
                return TransportFailure(.unreachable, host: host, detail: "the server closed the connection before answering")
            default: break
            }
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            if notTLS(text) {
                return TransportFailure(.badReply, host: host, detail: "answered in plain HTTP, not TLS, but the URL says https:// "
                                        + "(the first bytes were not TLS): use http:// or the service's TLS port")
            }
            if text.lowercased().contains("eof during handshake") {
                // A plain-HTTP server answers a ClientHello with a 400 and hangs up at once, often
                // before the TLS layer has looked at the bytes.
                return TransportFailure(.badReply, host: host, detail: "closed the connection during the TLS handshake, as a port "
                                        + "that speaks plain HTTP, not TLS, does: use http:// or the service's TLS port")
            }
            if !["certificate", "verify", "hostname", "unable to get", "self signed", "self-signed"].contains(where: text.lowercased().contains) {
                return TransportFailure(.tls, host: host, detail: "the TLS handshake failed (\(short(error)))")
            }
            return TransportFailure(.tls, host: host, detail: "the TLS certificate is not trusted or does not match (\(short(error)))")
        }
        if !isHTTPS, error is HTTPParserError {
            return TransportFailure(.badReply, host: host, detail: "did not answer in HTTP (\(short(error))); if it speaks TLS, "
                                    + "the URL must say https://")
        }
        if let channel = error as? ChannelError, channel == .ioOnClosedChannel || channel == .eof || channel == .outputClosed {
            return TransportFailure(.unreachable, host: host, detail: "the server closed the connection before answering")
        }
        if let io = error as? IOError, io.errnoCode == ECONNRESET || io.errnoCode == EPIPE {
            return TransportFailure(.unreachable, host: host, detail: "the connection was reset by the server")
        }
        if error is HTTPParserError {
            return TransportFailure(.badReply, host: host, detail: "answered with something that is not HTTP (\(short(error)))")
        }
        return TransportFailure(.unreachable, host: host, detail: short(error))
    }

    /// Whether a TLS error says the peer's bytes were not TLS records.
    static func notTLS(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return ["wrong_version_number", "wrong version number", "http_request", "packet_length_too_long",
                "unexpected_record", "record_too_large", "invalid record"].contains { lowered.contains($0) }
    }

    static func oversize(host: String, cap: Int) -> TransportFailure {
        TransportFailure(.badReply, host: host, detail: "sent a reply larger than \(cap >> 20) MiB, more than any answer "
                         + "Strata needs; check that the URL is the service's API")
    }

    /// The client for a request: this transport's own, or the process-wide one for its TLS
    /// settings and the current tier's connect timeout.
    private func clientForRequest() -> HTTPClient {
        guard let tls = sharedTLS else { return client }
        return (try? SharedClients.shared.client(for: tls, connectTimeout: RemoteDeadline.connectTimeout)) ?? client
    }

    static func makeClient(tls: TLSSettings, connectTimeout: Duration, connectionsPerHost: Int, http1Only: Bool = false) throws -> HTTPClient {
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
        configuration.timeout.connect = .nanoseconds(max(1_000_000, nanoseconds(connectTimeout)))
        configuration.decompression = .enabled(limit: .ratio(50))
        if http1Only { configuration.httpVersion = .http1Only }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Nanoseconds of a duration, saturating instead of overflowing.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64.max / 1_000_000_000 - 1 else { return .max }
        guard seconds > Int64.min / 1_000_000_000 + 1 else { return .min }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    static func seconds(_ duration: Duration) -> String { duration.secondsText }

    /// A transport error as short text with nothing request-specific (no headers, no body).
    static func short(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// One client per distinct TLS setting and connect timeout, for the life of the process.
    ///
    /// `@unchecked Sendable`: its mutable state is only read or written under its lock.
    private final class SharedClients: @unchecked Sendable {
        static let shared = SharedClients()
        private let lock = NSLock()
        private var clients: [Key: HTTPClient] = [:]

        struct Key: Hashable {
            var tls: TLSSettings
            var connectTimeout: Duration
        }

        func client(for tls: TLSSettings, connectTimeout: Duration) throws -> HTTPClient {
            try lock.withLock {
                let key = Key(tls: tls, connectTimeout: connectTimeout)
                if let client = clients[key] { return client }
                // Wide enough for an adaptive load to use a distant server fully; the loads
                // themselves narrow when a server pushes back.
                let client = try HTTPClientTransport.makeClient(tls: tls, connectTimeout: connectTimeout, connectionsPerHost: 128)
                clients[key] = client
                return client
            }
        }

        func transport(for tls: TLSSettings, log: OperationLog?) throws -> HTTPClientTransport {
            let client = try client(for: tls, connectTimeout: RemoteTimeouts.standard.connect)
            return HTTPClientTransport(sharedClient: client, tls: tls, maximumBodySize: 32 << 20, log: log)
        }
    }
}

/// Collects a reply on the event loop, refusing it once it passes the size cap, and notes
/// whether the head came (for the timeout message).
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
private final class CollectingDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = (HTTPResponseHead, ByteBuffer)

    struct TooLarge: Error {}
    struct NoHead: Error {}

    private let cap: Int
    private let lock = NSLock()
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    init(cap: Int) { self.cap = cap }

    var headReceived: Bool { lock.withLock { head != nil } }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        lock.withLock { self.head = head }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > cap {
            return task.eventLoop.makeFailedFuture(TooLarge())
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits: Bool = lock.withLock {
            guard body.readableBytes + buffer.readableBytes <= cap else { return false }
            var part = buffer
            body.writeBuffer(&part)
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(TooLarge())
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        try lock.withLock {
            guard let head else { throw NoHead() }
            return (head, body)
        }
    }
}
