import Foundation

/// An HTTP request as the remote tiers build it; the transport knows nothing of Airflow.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeout: Duration

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration = .seconds(15)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP response: status, headers (names as received) and the whole body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The protocol the answer came over ("HTTP/1.1", "HTTP/2.0"), when the transport knows it.
    public var httpVersion: String?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], httpVersion: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends HTTP requests. The one seam between remote tiers and the network, so tests can
/// count, delay or fail requests without a mock of any service.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
