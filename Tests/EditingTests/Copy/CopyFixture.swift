import Editing
import Engine
import TestSupport

/// A deployment with a backend, an environment and a metastore tier, all in memory and
/// writable: the backend names keys `connections/ID` and refuses ids with a space.
struct CopyFixture {
    let backend = InMemoryTierStore(.backend, label: "backend", connectionForms: [.uri, .json], naming: { key in
        key.id.contains(" ") ? .skipped(reason: "the backend cannot name ids with spaces")
            : .name((key.kind == .variable ? "variables/" : "connections/") + key.id)
    })
    let env = InMemoryTierStore(.env, label: "environment", naming: InMemoryTier.environmentNaming)
    let metastore = InMemoryTierStore(.metastore, label: "metastore", connectionForms: [.fields])
    var deployment = Deployment(name: "prod", airflowVersion: .v3)

    func load() async -> DeploymentState {
        await DeploymentLoader(factory: FixedTierFactory([backend.source, env.source, metastore.source]))
            .loadAll(deployment, context: .server)
    }

    var writers: [TierWriterSlot] {
        [TierWriterSlot(writer: backend.writer), TierWriterSlot(writer: env.writer), TierWriterSlot(writer: metastore.writer)]
    }

    func planner(_ state: DeploymentState, into tier: TierID = .backend, from source: TierID? = .metastore) -> CopyPlanner {
        CopyPlanner(target: state, targetWriters: writers, targetTier: tier,
                    source: source.map { CopyPlanner.SourceTier(state: state, writers: writers, tier: $0) })
    }

    func putMetastore(_ id: String, _ connection: Connection) {
        metastore.replace(.connection, named: id, with: .connection(id, connection))
    }

    func putMetastoreVariable(_ id: String, _ value: String) {
        metastore.replace(.variable, named: id, with: .variable(id, value))
    }

    func putBackend(_ id: String, _ connection: Connection) {
        backend.replace(.connection, named: "connections/" + id, with: .connection("connections/" + id, connection, id: id))
    }

    func backendHolds(_ key: SecretKey) -> EntryState? {
        backend.record(key.kind, named: (key.kind == .variable ? "variables/" : "connections/") + key.id)?.state
    }
}

let warehouse = Connection(connType: "postgres", host: "wh.internal", login: "etl", password: "wh-s3cret", schema: "analytics", port: 5432)
let queue = Connection(connType: "amqp", host: "mq.internal", login: "app", password: "mq-s3cret", port: 5672)
