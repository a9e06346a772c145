import Backends
import Editing
import Engine
import Foundation
import Metastore
import RemoteSupport
import Testing
import TestSupport

/// The migration users do first: every connection and variable of a metastore real Airflow
/// 3.3.2 wrote, copied into the deployment's secrets backend with `strata copy`'s engine; then
/// real Airflow's own backend class reads each one back, and must return what its
/// `MetastoreBackend` returns for the same id, field for field.
@Suite("Migrating a metastore into a secrets backend, checked with real Airflow")
struct MigrateIntoBackendTests {
    static let vaultClass = "airflow.providers.hashicorp.secrets.vault.VaultBackend"
    static let secretsManagerClass = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"

    static func require(_ names: [String]) throws -> [String] {
        let env = ProcessInfo.processInfo.environment
        let values = names.map { env[$0] ?? "" }
        guard !values.contains(where: \.isEmpty) else {
            throw AirflowPythonScript.Failure(description: "\(names.joined(separator: ", ")) must be set: run scripts/test, which starts "
                                                + "the test servers, or scripts/services/*.sh start and source /tmp/strata-services.env")
        }
        return values
    }

    /// A fresh KV v2 mount on the OpenBao dev server, and the backend kwargs that read it.
    static func vaultMount() async throws -> [String: Any] {
        let bao = try require(["STRATA_TEST_VAULT_ADDR", "STRATA_TEST_VAULT_TOKEN"])
        let mount = "migrate-\(UUID().uuidString.prefix(8).lowercased())"
        let transport = try HTTPClientTransport.shared(log: nil)
        let body = Array(try JSONSerialization.data(withJSONObject: ["type": "kv", "options": ["version": "2"]]))
        let response = try await transport.send(HTTPRequest(method: "POST", url: URL(string: "\(bao[0])/v1/sys/mounts/\(mount)")!,
                                                            headers: [("X-Vault-Token", bao[1])], body: body))
        try #require((200..<300).contains(response.status), "OpenBao refused to mount \(mount)")
        return ["url": bao[0], "token": bao[1], "mount_point": mount, "kv_engine_version": 2]
    }

    /// The environment a deployment (and Airflow) needs for Secrets Manager on moto, with a
    /// prefix of its own, and the backend kwargs.
    static func secretsManager() throws -> (environment: [String: String], kwargs: [String: Any]) {
        let moto = try require(["STRATA_TEST_MOTO_URL", "STRATA_TEST_MOTO_ACCESS_KEY_ID", "STRATA_TEST_MOTO_SECRET_ACCESS_KEY"])
        let prefix = "migrate\(UUID().uuidString.prefix(8).lowercased())"
        let kwargs: [String: Any] = ["connections_prefix": "\(prefix)/connections", "variables_prefix": "\(prefix)/variables"]
        return (["AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": moto[1], "AWS_SECRET_ACCESS_KEY": moto[2],
                 "AWS_ENDPOINT_URL": moto[0]], kwargs)
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    /// Copies every key of `deployment`'s metastore into its backend, checks the plan, the
    /// writes and the re-read; returns the ids copied.
    static func migrate(_ deployment: Deployment) async throws -> Migrated {
        let loader = DeploymentLoader(factory: AppTierFactory())
        let state = await loader.loadAll(deployment, context: .server)
        let writers = AppTierWriterFactory().makeWriters(for: deployment, context: .server)
        let planner = CopyPlanner(target: state, targetWriters: writers, targetTier: .backend,
                                  source: .init(state: state, writers: writers, tier: .metastore))
        let items = CopyItems.fromTier(.metastore, of: state)
        #expect(items.problems.isEmpty, "every fixture row decrypts with both keys")
        let plan = planner.plan(items, sourceLabel: "metastore", policy: .fail, move: false)
        // The only refusal allowed: an empty variable where the service rejects an empty value.
        let refused = plan.steps.filter { $0.action != .create }
        for step in refused {
            #expect(step.key == .variable("empty") && step.reason?.contains("cannot store an empty value") == true,
                    "\(step.key): \(step.reason ?? step.actionName)")
        }
        // As `strata copy` runs it: new keys are checked by the re-read, not one by one.
        let outcomes = planner.verify(await CopyExecutor(targetWriters: writers, verifiesAfterwards: true).apply(plan),
                                      against: await loader.loadAll(deployment, context: .server))
        for outcome in outcomes where !outcome.succeeded && !refused.map(\.key).contains(outcome.step.key) {
            Issue.record("\(outcome.step.key): \(outcome.error?.message ?? outcome.verificationProblem ?? "not copied")")
        }
        let reloaded = await loader.loadAll(deployment, context: .server)
        let again = CopyPlanner(target: reloaded, targetWriters: writers, targetTier: .backend)
            .plan(items, sourceLabel: "metastore", policy: .fail, move: false)
        // Keys, actions and reasons only: never a value.
        let left = again.steps.filter { $0.action != .unchanged && !refused.map(\.key).contains($0.key) }
            .map { "\($0.key) \($0.actionName)\($0.reason.map { ": " + $0 } ?? "")" }
        #expect(left.isEmpty, "a second run finds every key copied; not: \(left), unreadable tiers: \(reloaded.unreadableTiers.map(\.tier))")
        var unkept: [String: [String]] = [:]
        for step in plan.steps where !step.unkeptFields.isEmpty { unkept[step.key.id] = step.unkeptFields }
        let copied = items.items.map(\.key).filter { !refused.map(\.key).contains($0) }
        return Migrated(connections: copied.filter { $0.kind == .connection }.map(\.id),
                        variables: copied.filter { $0.kind == .variable }.map(\.id), unkept: unkept)
    }

    /// The ids copied, and per connection the fields the plan said the backend cannot keep exactly.
    struct Migrated {
        var connections: [String]
        var variables: [String]
        var unkept: [String: [String]]
    }

    static func expectSameAnswers(_ answers: (metastore: AirflowBackendReadout.Answers?, backend: AirflowBackendReadout.Answers?),
                                  ids: Migrated) throws {
        let metastore = try #require(answers.metastore)
        let backend = try #require(answers.backend)
        #expect(ids.connections.count >= 10 && ids.variables.count >= 10)
        for id in ids.connections {
            let want = metastore.connections[id] ?? nil
            #expect(want != nil, "Airflow's MetastoreBackend finds \(id)")
            // Only the fields the plan named as not kept (Airflow's own limits: a description the
            // backend's reader drops, an empty text it reads as None) may differ, and only as said.
            let unkept = Set(ids.unkept[id] ?? [])
            var got: [String: String?] = (backend.connections[id] ?? nil) ?? [:]
            var expected: [String: String?] = want ?? [:]
            for field in unkept {
                let old: String? = expected[field] ?? nil
                #expect(field == "description" || old == "", "connection \(id): \(field) is not an empty text the plan could drop")
                got[field] = nil
                expected[field] = nil
            }
            // Compared field by field so that a failure names fields, never prints their values.
            let differing = Set(got.keys).union(expected.keys).filter { (got[$0] ?? nil) != (expected[$0] ?? nil) }.sorted()
            #expect(differing.isEmpty, "connection \(id): \(differing) differ from the metastore's beyond \(unkept.sorted())")
        }
        for key in ids.variables {
            #expect(metastore.variables[key] ?? nil != nil)
            let same = (backend.variables[key] ?? nil) == (metastore.variables[key] ?? nil)
            #expect(same, "variable \(key) differs")
        }
    }

    enum MetastoreKind: String, CaseIterable, Sendable { case sqlite, postgres }
    enum BackendKind: String, CaseIterable, Sendable { case openBao, secretsManager }

    @Test("A metastore real Airflow wrote (SQLite, PostgreSQL) migrated into OpenBao (KV v2) or Secrets Manager on moto: Airflow's own backend class returns every value its MetastoreBackend did",
          arguments: MetastoreKind.allCases, BackendKind.allCases)
    func migrate(from metastore: MetastoreKind, into backend: BackendKind) async throws {
        let keys = "\(try MetastoreFixture.keyNew),\(try MetastoreFixture.keyOld)"
        let directory = try TemporaryDirectory("strata-migrate")
        defer { directory.remove() }
        var postgres: PostgresTestDatabase?
        defer { postgres?.drop() }
        let metastoreURL: String
        // What Airflow's readout opens: Airflow's venv has no PostgreSQL driver, and the
        // PostgreSQL rows are the fixture's, so the fixture's SQLite file answers for them.
        let readoutDatabase: String
        switch metastore {
        case .sqlite:
            let database = try directory.copyWritable(MetastoreFixture.mainDatabase, as: "airflow.sqlite")
            metastoreURL = "sqlite://" + database.path
            readoutDatabase = database.path
        case .postgres:
            let database = try PostgresTestDatabase.create()
            postgres = database
            let fixture = try await PostgresTests.fixtureReadout(keys)
            try database.load(variables: fixture.variables, connections: fixture.connections)
            metastoreURL = database.url
            readoutDatabase = MetastoreFixture.mainDatabase.path
        }

        var environment = ["AIRFLOW__CORE__FERNET_KEY": keys]
        let backendClass: String
        let kwargs: [String: Any]
        var airflowEnvironment: [String: String] = [:]
        switch backend {
        case .openBao:
            backendClass = Self.vaultClass
            kwargs = try await Self.vaultMount()
        case .secretsManager:
            backendClass = Self.secretsManagerClass
            let aws = try Self.secretsManager()
            kwargs = aws.kwargs
            airflowEnvironment = aws.environment
            environment.merge(aws.environment) { _, new in new }
        }
        environment["AIRFLOW__SECRETS__BACKEND"] = backendClass
        environment["AIRFLOW__SECRETS__BACKEND_KWARGS"] = Self.json(kwargs)
        var deployment = Deployment(name: "migrate-\(metastore.rawValue)-\(backend.rawValue.lowercased())", airflowVersion: .v3,
                                    environment: DeploymentEnvironment(environment), metastoreURL: metastoreURL)
        deployment.timeouts = .sharedTestServers
        let ids = try await Self.migrate(deployment)
        let answers = try await AirflowBackendReadout.read(databaseURL: "sqlite:///" + readoutDatabase, fernetKey: keys,
                                                           backendClass: backendClass, kwargs: kwargs, environment: airflowEnvironment,
                                                           connections: ids.connections, variables: ids.variables)
        try Self.expectSameAnswers(answers, ids: ids)
    }
}
