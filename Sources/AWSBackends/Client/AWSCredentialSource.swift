import Foundation
import Engine
import RemoteSupport

/// The credentials a tier signs with right now: static keys, or keys from STS AssumeRole that
/// are cached until five minutes before they expire.
actor AWSCredentialSource {
    let plan: AWSCredentialPlan
    let role: AssumeRoleSettings?
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let clock: any WallClock
    private var cached: AWSCredentials?

    init(plan: AWSCredentialPlan, role: AssumeRoleSettings?, transport: any HTTPTransport, retry: RetryPolicy,
         clock: any WallClock) {
        self.plan = plan
        self.role = role
        self.transport = transport
        self.retry = retry
        self.clock = clock
    }

    /// Whether `invalidate()` can bring fresh credentials (only assumed roles can).
    var canRefresh: Bool {
        if role != nil { return true }
        if case .profileRole = plan { return true }
        return false
    }

    func invalidate() { cached = nil }

    func current() async throws -> AWSCredentials {
        if let cached, cached.expiration.map({ $0.timeIntervalSince(clock.now()) > 300 }) ?? true { return cached }
        var base: AWSCredentials
        switch plan {
        case .keys(let keys): base = keys
        case .profileRole(let source, let profileRole, _):
            base = try await assume(profileRole, with: source)
        }
        if let role { base = try await assume(role, with: base) }
        cached = base
        return base
    }

    private func assume(_ role: AssumeRoleSettings, with credentials: AWSCredentials) async throws -> AWSCredentials {
        let sts = STSClient(endpoint: role.stsEndpoint, region: role.region, transport: transport, retry: retry, clock: clock)
        return try await sts.assumeRole(role, with: credentials)
    }
}
