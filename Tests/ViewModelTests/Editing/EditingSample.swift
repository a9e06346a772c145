import Editing
import Engine
import TestSupport
@testable import ViewModel

/// A deployment whose tiers can be written: a backend, the environment and the metastore held
/// in memory (InMemoryTierStore), so edits go through the Engine's planner and executor and
/// show up when the deployment loads again.
///
/// `@unchecked Sendable`: `extraUnavailable` is set while a test builds its sample, before any task reads it; the stores lock themselves.
final class EditingSample: @unchecked Sendable {
    static let backendPassword = "backend-pw-1"
    static let envPassword = "env-pw-2"

    let backend: InMemoryTierStore
    let env: InMemoryTierStore
    let metastore: InMemoryTierStore
    let deployment: Deployment
    /// A tier that cannot be written, to show in the picker.
    var extraUnavailable: TierWriterSlot?

    init(version: AirflowVersion = .v3, readOnly: Bool = false) {
        backend = InMemoryTierStore(.backend, label: "Local files", records: [
            .connection("my_postgres", Connection(connType: "postgres", host: "db.internal", login: "etl",
                                                   password: Self.backendPassword, schema: "analytics", port: 5432,
                                                   extra: #"{"sslmode": "require", "api_token": "tok-123"}"#)),
            .variable("region", "eu-west-1"),
        ])
        env = InMemoryTierStore(.env, label: "environment (.env)", records: [
            .connection("AIRFLOW_CONN_MY_POSTGRES", Connection(connType: "postgres", host: "localhost", login: "etl",
                                                               password: Self.envPassword, schema: "analytics", port: 5432),
                        id: "my_postgres"),
            .variable("AIRFLOW_VAR_REGION", "eu-west-1", id: "region"),
            .variable("AIRFLOW_VAR_FEATURE_FLAGS", #"{"new_ui": true}"#, id: "feature_flags"),
        ], naming: InMemoryTier.environmentNaming)
        metastore = InMemoryTierStore(.metastore, label: "metastore (sqlite)", records: [
            .connection("数据仓库", Connection(connType: "postgres", host: "warehouse.example.cn", port: 5439)),
            .variable("region", "us-east-1"),
        ], connectionForms: [.fields])
        deployment = Deployment(name: "local", airflowVersion: version, readOnly: readOnly)
    }

    struct Tiers: TierFactory {
        let sample: EditingSample
        func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
            [TierSlot(source: sample.backend.source), TierSlot(source: sample.env.source), TierSlot(source: sample.metastore.source)]
        }
    }

    struct Writers: TierWriterFactory {
        let sample: EditingSample
        func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] {
            var slots = [TierWriterSlot(writer: sample.backend.writer), TierWriterSlot(writer: sample.env.writer)]
            slots.append(sample.extraUnavailable ?? TierWriterSlot(writer: sample.metastore.writer))
            return slots
        }
    }

    func harness(size: Size = Size(columns: 100, rows: 30), readOnly: Bool = false) -> Harness {
        let harness = Harness(deployments: [deployment], factory: Tiers(sample: self), size: size,
                              formats: .engine(context: .server))
        harness.writerFactory = Writers(sample: self)
        harness.state.readOnly = readOnly
        return harness
    }
}

extension Harness {
    /// Moves the list cursor to `key`.
    func select(_ key: SecretKey) async {
        await press(.char("3"), .char("g"))
        for _ in 0..<state.visible.count {
            if state.selectedEntry?.key == key { return }
            await press(.char("j"))
        }
    }

    /// Focuses the editor row `row`.
    func focusEditorRow(_ row: EditorState.Row) {
        if let index = state.editor?.rows.firstIndex(of: row) { state.editor?.focus = index }
    }

    var screenText: String { frame.textLines.joined(separator: "\n") }
}
