/// Makes tier sources for one or more backend families. Each backend module provides one;
/// the `Backends` module collects them into the app's tier factory.
public protocol BackendTierProvider: Sendable {
    /// The families this provider can connect to.
    var families: Set<BackendFamily> { get }

    /// A source for `configuration`, filling `tier` (`.backend` or `.workersBackend`) of
    /// `deployment`, parsing stored connections with `dialect`. Throws a `TierError` when the
    /// configuration cannot work (missing vault_url, unreadable key file…); the message says
    /// what to fix and contains no secret.
    func makeSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                    dialect: ConnectionDialect) throws -> any TierSource
}
