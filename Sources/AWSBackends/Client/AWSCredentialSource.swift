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
    /// The fetch in flight, so that concurrent requests assume the role once.
    private var pending: Task<AWSCredentials, any Error>?

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

    func invalidate() {
        cached = nil
        pending = nil
    }

    func current() async throws -> AWSCredentials {
        if let cached, cached.expiration.map({ $0.timeIntervalSince(clock.now()) > 300 }) ?? true { return cached }
        if let pending { return try await pending.value }
        let task = Task { try await self.fetch() }
        pending = task
        do {
            let fresh = try await task.value
            cached = fresh
            pending = nil
            return fresh
        } catch {
            pending = nil
            throw error
        }
    }

    private func fetch() async throws -> AWSCredentials {
        var base: AWSCredentials
        switch plan {
        case .keys(let keys): base = keys
        case .profileRole(let source, let profileRole, _):
            base = try await assume(profileRole, with: source)
        }
        if let role { base = try await assume(role, with: base) }
        return base
    }

    private func assume(_ role: AssumeRoleSettings, with credentials: AWSCredentials) async throws -> AWSCredentials {
        let sts = STSClient(endpoint: role.stsEndpoint, region: role.region, transport: transport, retry: retry, clock: clock)
        return try await sts.assumeRole(role, with: credentials)
    }
}
