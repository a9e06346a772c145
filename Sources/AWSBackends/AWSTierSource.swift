import Engine

/// An AWS tier (Secrets Manager, Parameter Store): its names are the backend kwargs' names and
/// its failures read as AWS's, with what to check.
public protocol AWSTierSource: TierSource {
    var settings: AWSBackendSettings { get }
    /// The tier's listing, with AWS errors as they come.
    func loadSnapshot() async throws -> TierSnapshot
}

extension AWSTierSource {
    public func lookupName(for key: SecretKey) -> LookupName {
        settings.naming.lookupName(for: key)
    }

    /// With a team, the plain name after `<team>--<id>`.
    public func globalLookupName(for key: SecretKey) -> LookupName? {
        settings.naming.globalLookupName(for: key)
    }

    public func load() async throws -> TierSnapshot {
        do { return try await loadSnapshot() } catch { throw error.asAWSTierError }
    }
}
