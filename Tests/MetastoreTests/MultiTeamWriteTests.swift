import Backends
import Editing
import Engine
import Foundation
import Metastore
import Testing
import TestSupport

/// Edits in a deployment with `team:` (Airflow 3.2+ multi-team) go where this team's Airflow
/// reads them, checked afterwards with real Airflow 3.3.2's own lookups: an existing value is
/// rewritten under the name that supplies it now (team or global), a new key goes under the
/// team's name or into a row with `team_name` = the team, and another team's metastore row is
/// refused, never overwritten.
@Suite("Multi-team edits land where real Airflow 3.3.2 reads them", .serialized)
struct MultiTeamWriteTests {
    static let seed = RealAirflowLookups.Seed(
        teams: ["team_a", "team_b"],
        variables: [("owned_b", "b's own", "team_b"), ("shared", "global row", nil), ("mine", "a's row", "team_a")],
        connections: [("conn_b", "b.example", "team_b")])

    /// A workspace deployment of team `team_a` with an env file and the SQLite metastore `database`.
    static func deployment(_ directory: TemporaryDirectory, database: URL, envFile: String) throws -> Deployment {
        _ = try directory.write(".env", envFile)
        let yaml = """
            deployments:
              - name: team-a
                airflow: 3
                team: team_a
                env_files: [.env]
                metastore: sqlite:///\(database.path)
            """
        let url = try directory.write("strata.yaml", yaml)
        return try #require(try Workspace.load(url, processEnvironment: [:]).deployments.first)
    }

    static func state(_ deployment: Deployment) async throws -> DeploymentState {
        let tiers: [any TierSource] = [
            EnvironmentTier(environment: deployment.environment, dialect: .core, teams: deployment.teamLookup),
            try MetastoreTier(deployment: deployment),
        ]
        return await DeploymentLoader(factory: FixedTierFactory(tiers)).loadAll(deployment, context: .server)
    }

    static func writers(_ deployment: Deployment) throws -> [TierWriterSlot] {
        [TierWriterSlot(writer: EnvFileWriter(deployment: deployment, dialect: .core)),
         TierWriterSlot(writer: MetastoreTierWriter(tier: try MetastoreTier(deployment: deployment)))]
    }

    /// Real Airflow's answers for `team`, with the env file's `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*`.
    static func airflow(_ database: URL, environment: DeploymentEnvironment, teams: [String],
                        lookups: [(kind: String, key: String)]) async throws -> [[RealAirflowLookups.Answer]] {
        var env: [String: String] = [:]
        for (name, value) in environment.variables where name.hasPrefix("AIRFLOW_VAR_") || name.hasPrefix("AIRFLOW_CONN_") {
            env[name] = value
        }
        let scenarios = teams.map { RealAirflowLookups.Scenario(multiTeam: true, team: $0, environment: env, lookups: lookups) }
        return try await RealAirflowLookups.run(database: database, seed: .init(), scenarios: scenarios)
    }

    @Test func editsWriteTheNameThatSuppliesTheValueAndNewKeysTheTeams() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        _ = try await RealAirflowLookups.run(database: database, seed: Self.seed, scenarios: [])
        let envFile = """
            AIRFLOW__CORE__MULTI_TEAM=True
            AIRFLOW_VAR_GLOBAL_ONLY=old global
            AIRFLOW_VAR__TEAM_A___TEAM_ONLY=old team
            AIRFLOW_VAR_TEAM_ONLY=global twin
            AIRFLOW_VAR__TEAM_A___EMPTY_TEAM=
            """
        let deployment = try Self.deployment(directory, database: database, envFile: envFile)
        let state = try await Self.state(deployment)
        let planner = EditPlanner(state: state, writers: try Self.writers(deployment))
        let plan = planner.plan([
            (.set(.variable("global_only"), .variable("new global", description: nil)), .env),
            (.set(.variable("team_only"), .variable("new team", description: nil)), .env),
            (.set(.variable("fresh_env"), .variable("fresh", description: nil)), .env),
            (.set(.variable("empty_team"), .variable("filled", description: nil)), .env),
            (.set(.variable("shared"), .variable("global row, edited", description: nil)), .metastore),
            (.set(.variable("fresh_row"), .variable("a's new row", description: nil)), .metastore),
        ])
        // The plan names the exact name each change writes.
        #expect(plan.changes.map(\.name) == ["AIRFLOW_VAR_GLOBAL_ONLY", "AIRFLOW_VAR__TEAM_A___TEAM_ONLY",
                                             "AIRFLOW_VAR__TEAM_A___FRESH_ENV", "AIRFLOW_VAR__TEAM_A___EMPTY_TEAM", "shared", "fresh_row"])
        #expect(plan.changes.allSatisfy { $0.refusal == nil })
        let outcomes = await EditExecutor(writers: try Self.writers(deployment), log: OperationLog()).apply(plan)
        for outcome in outcomes {
            #expect(outcome.error == nil, "\(outcome.planned.change.key): \(outcome.error?.message ?? "")")
        }
        #expect(outcomes.map { $0.receipt?.name } == plan.changes.map(\.name))

        let text = try String(contentsOf: directory.url.appendingPathComponent(".env"), encoding: .utf8)
        #expect(text.contains("AIRFLOW_VAR_TEAM_ONLY=global twin"), "the global twin the team's name shadows is left alone")
        #expect(!text.contains("AIRFLOW_VAR__TEAM_A___GLOBAL_ONLY"), "an existing global value is not copied to a team name")

        let rows = try await MetastoreTier(deployment: deployment).read().variables
        #expect(rows.first { $0.key == "shared" }?.teamName == nil, "an edited global row stays global, as Variable.set leaves it")
        #expect(rows.first { $0.key == "fresh_row" }?.teamName == "team_a")

        let reloaded = try Self.deployment(directory, database: database, envFile: text)
        let lookups: [(kind: String, key: String)] = [("variable", "global_only"), ("variable", "team_only"), ("variable", "fresh_env"),
                                                       ("variable", "empty_team"), ("variable", "shared"), ("variable", "fresh_row")]
        let answers = try await Self.airflow(database, environment: reloaded.environment, teams: ["team_a", "team_b"], lookups: lookups)
        try #require(answers.count == 2)
        #expect(answers[0].map(\.value) == ["new global", "new team", "fresh", "filled", "global row, edited", "a's new row"])
        // Team b still reads the global names, and nothing of team a's own.
        #expect(answers[1].map(\.value) == ["new global", "global twin", nil, nil, "global row, edited", nil])
    }

    @Test func anotherTeamsRowIsRefusedBeforeAnythingIsWritten() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        _ = try await RealAirflowLookups.run(database: database, seed: Self.seed, scenarios: [])
        let deployment = try Self.deployment(directory, database: database, envFile: "AIRFLOW__CORE__MULTI_TEAM=True\n")
        let state = try await Self.state(deployment)
        let planner = EditPlanner(state: state, writers: try Self.writers(deployment))
        let edits: [TierChange] = [
            .set(.variable("owned_b"), .variable("a's attempt", description: nil)),
            .delete(.variable("owned_b")),
            .set(.connection("conn_b"), .connection(Connection(connType: "http", host: "a.example")), form: .fields),
        ]
        for edit in edits {
            let planned = planner.plan(edit, into: .metastore)
            let refusal = try #require(planned.refusal, "\(edit.key)")
            #expect(refusal.kind == .invalid)
            #expect(refusal.message.contains("belongs to team 'team_b'"))
            #expect(refusal.message.contains("unique across teams"))
        }

        // The database write refuses too, whatever the caller expected to find.
        let writer = try MetastoreWriter(deployment: deployment)
        let row = try #require(try await MetastoreTier(deployment: deployment).read().variable("owned_b"))
        for expectation in [MetastoreExpectation.unchanged(row), .absent] {
            await #expect(throws: MetastoreError.self) {
                try await writer.setVariable("owned_b", value: "a's attempt", expecting: expectation)
            }
        }
        await #expect(throws: MetastoreError.self) { try await writer.deleteVariable("owned_b", expecting: .unchanged(row)) }

        var unknown = deployment
        unknown.team = "team_zz"
        do {
            try await MetastoreWriter(deployment: unknown).setVariable("orphan", value: "x", expecting: .absent)
            Issue.record("a row was written for a team Airflow does not have")
        } catch let error as MetastoreError {
            #expect(error.message.contains("not in Airflow's team table"))
        }

        let answers = try await Self.airflow(database, environment: DeploymentEnvironment(), teams: ["team_b"],
                                             lookups: [("variable", "owned_b"), ("connection", "conn_b")])
        #expect(answers.first?.map(\.value) == ["b's own", "b.example"], "team b's row is as it was")
    }

    /// Why Strata refuses rather than writes: in Airflow 3.3.2 the key is unique across teams (a
    /// row of team a's own cannot exist beside team b's), and `Variable.set(..., team_name=)`
    /// upserts on the key alone, so Airflow's own write changes team b's value.
    @Test func airflowKeysAreUniqueAcrossTeamsAndItsOwnSetOverwritesAnotherTeamsRow() async throws {
        let (directory, database) = try MetastoreFixture.copy(MetastoreFixture.noFernetDatabase)
        defer { directory.remove() }
        _ = try await RealAirflowLookups.run(database: database, seed: Self.seed, scenarios: [])
        let script = try directory.write("unique.py", """
            import json, os, sys
            os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = "sqlite:///" + sys.argv[1]
            os.environ["AIRFLOW__CORE__MULTI_TEAM"] = "True"
            from airflow.models import Variable
            from airflow.utils.session import create_session
            from sqlalchemy import select
            result = {}
            try:
                with create_session() as session:
                    session.add(Variable(key="owned_b", val="a's own", team_name="team_a"))
                result["second_row"] = "stored"
            except Exception as error:
                result["second_row"] = type(error).__name__
            Variable.set("owned_b", "a's attempt", team_name="team_a")
            with create_session() as session:
                row = session.scalar(select(Variable).where(Variable.key == "owned_b"))
                result["team_after_set"] = row.team_name
                result["value_changed"] = row.val != "b's own"
            json.dump(result, open(sys.argv[2], "w"))
            """)
        let output = directory.url.appendingPathComponent("unique.json")
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AIRFLOW") }
        env["AIRFLOW_HOME"] = directory.url.appendingPathComponent("home").path
        let status = try await ChildProcess.run(try RealAirflowLookups.python, [script.path, database.path, output.path], environment: env)
        try #require(status == 0)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        #expect(result["second_row"] as? String == "IntegrityError")
        #expect(result["team_after_set"] as? String == "team_b")
        #expect(result["value_changed"] as? Bool == true)
    }
}

/// The same rules on PostgreSQL (the schema Airflow 3.3.2 creates: `key` and `conn_id` unique
/// on their own, `team_name` a foreign key to `team`).
@Suite("Multi-team metastore writes on PostgreSQL", .serialized)
struct MultiTeamPostgresWriteTests {
    @Test func newRowsAreTheTeamsGlobalRowsStayGlobalAndAnotherTeamsRowIsRefused() async throws {
        let database = try PostgresTestDatabase.create()
        defer { database.drop() }
        try database.execute("""
            INSERT INTO team (name) VALUES ('team_a'), ('team_b');
            INSERT INTO variable ("key", val, is_encrypted, team_name) VALUES ('owned_b', 'b''s own', false, 'team_b'),
                ('shared', 'global row', false, NULL);
            INSERT INTO connection (conn_id, conn_type, host, is_encrypted, is_extra_encrypted, team_name)
                VALUES ('conn_b', 'http', 'b.example', false, false, 'team_b');
            """)
        var deployment = PostgresTests.deployment(database.url, fernetKey: nil, extraEnv: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let writer = try MetastoreWriter(deployment: deployment)
        let before = try await MetastoreTier(deployment: deployment).read()

        let fresh = try await writer.setVariable("fresh_row", value: "a's new row", expecting: .absent)
        #expect(fresh.teamName == "team_a")
        let connection = try await writer.setConnection("fresh_conn", Connection(connType: "http", host: "a.example"), expecting: .absent)
        #expect(connection.teamName == "team_a")
        let shared = try await writer.setVariable("shared", value: "global row, edited",
                                                  expecting: .unchanged(try #require(before.variable("shared"))))
        #expect(shared.teamName == nil)

        let owned = try #require(before.variable("owned_b"))
        do {
            try await writer.setVariable("owned_b", value: "a's attempt", expecting: .unchanged(owned))
            Issue.record("another team's row was written")
        } catch let error as MetastoreError {
            #expect(error.kind == .invalidValue)
            #expect(error.message.contains("belongs to team 'team_b'"))
        }
        let ownedConnection = try #require(before.connection("conn_b"))
        await #expect(throws: MetastoreError.self) {
            try await writer.deleteConnection("conn_b", expecting: .unchanged(ownedConnection))
        }

        // A team Airflow does not know (not in its team table) cannot own a new row.
        var unknown = deployment
        unknown.team = "team_zz"
        do {
            try await MetastoreWriter(deployment: unknown).setVariable("orphan", value: "x", expecting: .absent)
            Issue.record("a row was written for a team Airflow does not have")
        } catch let error as MetastoreError {
            #expect(error.message.contains("airflow teams create team_zz"))
        }

        // Read without a team filter: team b's rows are exactly as they were.
        var plain = PostgresTests.deployment(database.url, fernetKey: nil)
        plain.team = nil
        let after = try await MetastoreTier(deployment: plain).read()
        #expect(after.variable("owned_b") == owned)
        #expect(after.connection("conn_b") == ownedConnection)
    }
}
