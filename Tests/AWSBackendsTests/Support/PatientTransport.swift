import Engine
import TestSupport

/// A transport for seeding and checking a test server outside any tier load: each request may
/// take as long as `RemoteTimeouts.sharedTestServers` allows instead of the 10 s a
/// request outside a load gets. moto, shared by every suite on
/// two busy cores, has been seen to leave a burst of requests unanswered for over 20 s; a test's
/// own setup should wait that out, while the tiers under test keep their deployment's deadlines.
struct PatientTransport: HTTPTransport {
    let inner: any HTTPTransport

    static let timeouts = RemoteTimeouts.sharedTestServers

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if RemoteDeadline.current != nil { return try await inner.send(request) }
        var patient = request
        patient.timeout = Self.timeouts.request
        let deadline = RemoteDeadline(timeouts: Self.timeouts, tierEnds: .now + Self.timeouts.tier)
        return try await RemoteDeadline.$current.withValue(deadline) { try await inner.send(patient) }
    }
}
