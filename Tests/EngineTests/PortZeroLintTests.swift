import Engine
import Testing
import TestSupport

/// A JSON connection whose `port` is the number 0 comes back from Airflow's `from_json` with no
/// port: measured with Airflow 3.3.2 (`Connection.from_json('{"port": 0, …}').port` is None,
/// `"port": "0"` gives 0, `postgres://h:0/db` gives 0). Lint warns where the stored form is read
/// that way (an env variable, a remote secrets backend) and says which form keeps the port.
@Suite("Lint: a port of 0 that Airflow will not read back")
struct PortZeroLintTests {
    static func findings(env: [String: String], backendRecords: [TierRecord] = []) async -> [LintFinding] {
        let environment = DeploymentEnvironment(env)
        let sources: [any TierSource] = [
            InMemoryTier(.backend, label: "Vault", records: backendRecords),
            EnvironmentTier(environment: environment, dialect: .core),
        ]
        let state = await DeploymentLoader(factory: FixedTierFactory(sources)).loadAll(Deployment(name: "d", environment: environment),
                                                                                     context: .server)
        return Linter().lint(state).filter { $0.rule == "port-zero-dropped" }
    }

    @Test func aJSONPortOfZeroIsAWarningThatNamesTheFormThatKeepsIt() async throws {
        let found = await Self.findings(env: ["AIRFLOW_CONN_DB": #"{"conn_type": "postgres", "host": "h", "port": 0}"#])
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(finding.level == .warning)
        #expect(finding.tier == .env)
        #expect(finding.fix.contains(#"the string "0""#))
    }

    @Test func aVaultSecretInFieldFormIsReadTheSameWay() async {
        let fields = #"{"conn_type": "postgres", "host": "h", "port": 0.0}"#
        let record = TierRecord(kind: .connection, name: "db", suggestedID: "db",
                                state: .present(.connection(Connection(connType: "postgres", host: "h"))), rawText: fields)
        let found = await Self.findings(env: [:], backendRecords: [record])
        #expect(found.map(\.tier) == [.backend])
    }

    @Test(arguments: [
        #"{"conn_type": "postgres", "host": "h", "port": "0"}"#,
        "postgres://h:0/db",
        #"{"conn_type": "postgres", "host": "h", "port": 5432}"#,
        #"{"conn_type": "postgres", "host": "h"}"#,
    ])
    func formsThatKeepThePortOrHaveNoneAreNotFlagged(value: String) async {
        #expect(await Self.findings(env: ["AIRFLOW_CONN_DB": value]).isEmpty)
    }

    @Test func theLocalFilesBackendBuildsFromItsDictAndIsNotFlagged() async {
        let record = TierRecord(kind: .connection, name: "db", suggestedID: "db",
                                state: .present(.connection(Connection(connType: "postgres", host: "h", port: 0))),
                                rawText: #"{"conn_type": "postgres", "host": "h", "port": 0}"#,
                                metadata: ["file": "/p/connections.json", "line": "3"])
        #expect(await Self.findings(env: [:], backendRecords: [record]).isEmpty)
    }
}
