import Engine

extension RemoteTimeouts {
    /// Deadlines for deployments on the servers every suite shares (moto, OpenBao), in tests
    /// that check what is read and written rather than how long it takes. With every suite
    /// running at once on two cores, moto (one Python process) has answered a burst of requests
    /// only after 20 s; the deadline suites check the standard timeouts on their own.
    public static let sharedTestServers = RemoteTimeouts(connect: .seconds(10), request: .seconds(30), tier: .seconds(90))
}
