import Foundation
import Engine

/// Sits in front of moto and answers the first requests with faults (throttling, server errors,
/// garbage), then lets requests through. Counts every attempt.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class FaultInjectingTransport: HTTPTransport, @unchecked Sendable {
    enum Fault: Sendable {
        case status(Int, headers: [(name: String, value: String)] = [])
        case awsError(status: Int, code: String, message: String)
        case garbage
        case dropConnection
    }

    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var faults: [Fault]
    private(set) var attempts = 0

    init(_ inner: any HTTPTransport, faults: [Fault]) {
        self.inner = inner
        self.faults = faults
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let fault: Fault? = lock.withLock {
            attempts += 1
            return faults.isEmpty ? nil : faults.removeFirst()
        }
        switch fault {
        case nil:
            return try await inner.send(request)
        case .status(let status, let headers)?:
            return HTTPResponse(status: status, headers: headers, body: Array("<html>busy</html>".utf8))
        case .awsError(let status, let code, let message)?:
            return HTTPResponse(status: status, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1")],
                                body: Array(#"{"__type": "\#(code)", "message": "\#(message)"}"#.utf8))
        case .garbage?:
            return HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "text/html")],
                                body: Array("<html>captive portal</html>".utf8))
        case .dropConnection?:
            throw TransportFailureShim.dropped(host: request.url.host ?? "")
        }
    }
}

import RemoteSupport
enum TransportFailureShim {
    static func dropped(host: String) -> TransportFailure {
        TransportFailure(.unreachable, host: host, detail: "connection reset by peer")
    }
}
