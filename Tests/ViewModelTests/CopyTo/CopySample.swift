import Editing
import Engine
import TestSupport
@testable import ViewModel

/// A workspace to copy within and between: `local` (browsed) and `staging` with tiers held in
/// memory that can be written, and `prod`, read-only. Staging's backend cannot name ids with a
/// dot (a refusal) and holds `region` with another value (a conflict).
///
/// `@unchecked Sendable`: only the stores change after it is built, and they lock themselves.
final class CopySample: @unchecked Sendable {
    /// A value that must never reach a frame: the connection's password.
    static let password = "copy-canary-pw-7"
    static let stagingRegion = "us-west-2"

    let localBackend = InMemoryTierStore(.backend, label: "Local files", records: [
        .connection("my_postgres", Connection(connType: "postgres", host: "db.internal", login: "etl",
                                               password: CopySample.password, schema: "analytics", port: 5432)),
        .variable("region", "eu-west-1"),
        .variable("feature.flag", "on"),
    ])
    let localEnv = InMemoryTierStore(.env, label: "environment (.env)", records: [
        .variable("AIRFLOW_VAR_TIMEOUT", "30", id: "timeout"),
    ], naming: InMemoryTier.environmentNaming)
    let localMetastore = InMemoryTierStore(.metastore, label: "metastore (sqlite)", records: [
        .variable("region", "us-east-1"),
        .record(.connection, "locked_conn", .unreadable(reason: "the Fernet key does not decrypt it")),
    ], connectionForms: [.fields])
    let stagingBackend = InMemoryTierStore(.backend, label: "staging files", records: [
        .variable("region", CopySample.stagingRegion),
    ], naming: { key in key.id.contains(".") ? .skipped(reason: "this backend's names hold no dot") : .name(key.id) })
    let stagingEnv = InMemoryTierStore(.env, label: "staging environment", naming: InMemoryTier.environmentNaming)
    let stagingMetastore = InMemoryTierStore(.metastore, label: "staging metastore", connectionForms: [.fields])

    let local = Deployment(name: "local", airflowVersion: .v3)
    let staging = Deployment(name: "staging", airflowVersion: .v3)
    let prod = Deployment(name: "prod", airflowVersion: .v3, readOnly: true)

    private func stores(_ deployment: Deployment) -> [InMemoryTierStore] {
        switch deployment.name {
        case "local": [localBackend, localEnv, localMetastore]
        case "staging": [stagingBackend, stagingEnv, stagingMetastore]
        default: []
        }
    }

    struct Tiers: TierFactory {
        let sample: CopySample
        func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
            let stores = sample.stores(deployment)
            guard !stores.isEmpty else { return [TierSlot(source: InMemoryTier(.env, records: [], naming: InMemoryTier.environmentNaming))] }
            return stores.map { TierSlot(source: $0.source) }
        }
    }

    struct Writers: TierWriterFactory {
        let sample: CopySample
        func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
            if deployment.readOnly {
                return [TierWriterSlot(unavailable: TierDescriptor(tier: .env, label: "environment"), reason: "read-only deployment")]
            }
            return sample.stores(deployment).map { TierWriterSlot(writer: $0.writer) }
        }
    }

    func harness(readOnly: Bool = false, size: Size = Size(columns: 120, rows: 36)) -> Harness {
        let harness = Harness(deployments: [local, staging, prod], factory: Tiers(sample: self), size: size,
                              formats: .engine(context: .server))
        harness.writerFactory = Writers(sample: self)
        harness.state.readOnly = readOnly
        return harness
    }
}

extension Harness {
    /// Marks each of `keys` with Space in the list.
    func mark(_ keys: SecretKey...) async {
        for key in keys {
            await select(key)
            await press(.char(" "))
        }
    }

    /// Opens `C`'s picker and chooses `address` ("env", "staging:backend").
    func copy(to address: String) async {
        await press(.char("C"))
        let addresses = AppReducer.copyDestinations(state).map(\.address)
        guard let index = addresses.firstIndex(of: address) else { return }
        await press(.char("g"))
        for _ in 0..<index { await press(.char("j")) }
        await press(.enter)
    }

    /// The plan's keys and actions, as "action key" strings in plan order.
    var copyActions: [String] {
        state.copySession?.plan.steps.map { "\($0.actionName) \($0.key)" } ?? []
    }
}
