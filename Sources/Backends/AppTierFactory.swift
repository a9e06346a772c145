import Engine

/// The application's tier factory: the environment, the configured secrets backend (local
/// files or a remote service) and the metastore (a database, or an Astro project's
/// `airflow_settings.yaml`).
public struct AppTierFactory: TierFactory {
    public init() {}

    public func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
        [
            TierSlot(unavailable: TierDescriptor(tier: .env, label: "environment"), reason: "not connected yet"),
        ]
    }
}
