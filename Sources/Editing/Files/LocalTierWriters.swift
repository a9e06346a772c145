import Engine
/// The writers of a deployment's file tiers, made from the tier slots the app's `TierFactory`
/// built: the environment (its env files), the LocalFilesystemBackend's files, and an Astro
/// project's `airflow_settings.yaml`. Remote and database tiers are left to their modules.
public enum LocalTierWriters {
    /// The writer slot for `tierSlot` when its source is a file tier; nil for any other tier
    /// (and for a slot without a source, whose reason the caller already has).
    public static func slot(for tierSlot: TierSlot, deployment: Deployment, context: LookupContext) -> TierWriterSlot? {
        switch tierSlot.source {
        case let environment as EnvironmentTier:
            return environmentSlot(deployment: deployment, dialect: environment.dialect, descriptor: environment.descriptor)
        case let files as LocalFilesystemTier:
            return TierWriterSlot(writer: LocalFilesWriter(files))
        case let settings as AirflowSettingsTier:
            return TierWriterSlot(writer: AirflowSettingsWriter(fileURL: settings.fileURL, dialect: settings.dialect))
        default:
            return nil
        }
    }

    /// Writer slots for every file tier among `tierSlots`, in their order.
    public static func slots(for tierSlots: [TierSlot], deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
        tierSlots.compactMap { slot(for: $0, deployment: deployment, context: context) }
    }

    /// The environment tier's writer slot, unavailable (saying what to add) without env files.
    public static func environmentSlot(deployment: Deployment, dialect: ConnectionDialect,
                                       descriptor: TierDescriptor = TierDescriptor(tier: .env, label: "environment")) -> TierWriterSlot {
        guard !deployment.envFiles.isEmpty else {
            return TierWriterSlot(unavailable: descriptor,
                                  reason: "deployment '\(deployment.name)' has no env file; add `env_files: [.env]` to its entry in strata.yaml")
        }
        return TierWriterSlot(writer: EnvFileWriter(deployment: deployment, dialect: dialect, descriptor: descriptor))
    }
}
