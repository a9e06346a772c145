import Foundation

/// Airflow's secrets cache (`[secrets] use_cache`, `cache_ttl_seconds`) as a deployment's
/// environment sets it. Airflow initialises it only in the DAG processor, so only DAG parsing
/// reads cached values; tasks, the API server and the triggerer always read the tiers.
public struct SecretsCache: Sendable, Hashable {
    /// How old a cached value may be; nil when `cache_ttl_seconds` is not an integer (Airflow
    /// then refuses the configuration).
    public var ttlSeconds: Int?

    public init(ttlSeconds: Int?) {
        self.ttlSeconds = ttlSeconds
    }

    /// The cache the environment turns on, or nil when it is off (the default). Strata sees
    /// the environment only: a setting in `airflow.cfg` is not visible here.
    public static func configured(in environment: DeploymentEnvironment) -> SecretsCache? {
        // Airflow's getboolean: t / true / 1 are on, anything else that parses is off.
        guard let flag = environment["AIRFLOW__SECRETS__USE_CACHE"],
              ["t", "true", "1"].contains(flag.lowercased().trimmingCharacters(in: .whitespaces)) else { return nil }
        guard let ttl = environment["AIRFLOW__SECRETS__CACHE_TTL_SECONDS"] else { return SecretsCache(ttlSeconds: 900) }
        return SecretsCache(ttlSeconds: Int(ttl.trimmingCharacters(in: .whitespaces)))
    }

    /// What the cache means for a lookup of `kind`, for `explain`.
    public func note(for kind: SecretKind) -> String {
        let age = ttlSeconds.map { "up to \($0) s" } ?? "for an invalid cache_ttl_seconds"
        var note = "[secrets] use_cache is on: while parsing DAGs, the DAG processor may serve this value \(age) old; "
            + "tasks, the API server and the triggerer read the tiers each time."
        if kind == .connection { note += " A cached connection is rebuilt from its URI, which drops its description." }
        return note
    }
}
