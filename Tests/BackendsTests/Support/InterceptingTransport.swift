import Foundation
import Engine
import RemoteSupport

/// Sends through the app's transport, but the first time a request matches, first runs
/// `before` — another user's write landing exactly between Strata's check and its write.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class InterceptingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let matches: @Sendable (HTTPRequest) -> Bool
    private let before: @Sendable () async throws -> Void
    private let lock = NSLock()
    private var fired = false

    init(_ inner: any HTTPTransport, when matches: @escaping @Sendable (HTTPRequest) -> Bool,
         before: @escaping @Sendable () async throws -> Void) {
        self.inner = inner
        self.matches = matches
        self.before = before
    }

    var hasFired: Bool { lock.withLock { fired } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let fire = matches(request) && lock.withLock { () -> Bool in
            defer { fired = true }
            return !fired
        }
        if fire { try await before() }
        return try await inner.send(request)
    }

    /// Matches an AWS JSON request for `target` (`AmazonSSM.PutParameter`).
    static func awsTarget(_ target: String) -> @Sendable (HTTPRequest) -> Bool {
        { request in request.headers.contains { $0.name.lowercased() == "x-amz-target" && $0.value == target } }
    }
}
