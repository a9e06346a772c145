import Foundation
import Testing
import Editing
import Engine
import PythonCompat
import TestSupport
@testable import AirflowAPI

/// The REST API tier in a multi-team deployment, against real Airflow 3.3.2's API app (run
/// in-process with multi-team on, through FastAPI's test client): its answers carry every
/// entry's `team_name` and list every team's entries, so Strata scopes them as the metastore
/// tier does; and a create Strata sends for a team stores the entry as that team's.
@Suite("Metastore through Airflow's REST API: teams", .serialized)
struct MultiTeamAPITests {
    /// What real Airflow's API answered: the two listings, and the answer to each create body.
    struct Answers {
        var variables: [JSONObject]
        var connections: [JSONObject]
        var created: [JSONObject]
    }

    static func python() throws -> URL {
        guard let binary = ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW3_BIN"], !binary.isEmpty else {
            throw RealAirflow.Missing(description: "STRATA_TEST_AIRFLOW3_BIN is not set: run scripts/test, or "
                                      + "`scripts/services/airflow-api.sh start && source /tmp/strata-services.env`")
        }
        return URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("python")
    }

    /// Seeds a copy of the fixture database with two teams' rows and a global one, POSTs
    /// `bodies` ([collection, body]) and lists both collections, all through Airflow's own API app.
    static func airflow(posting bodies: [(String, JSONObject)]) async throws -> Answers {
        let directory = try TemporaryDirectory("strata-api-teams")
        defer { directory.remove() }
        let database = directory.url.appendingPathComponent("airflow.db")
        try FileManager.default.copyItem(at: Fixtures.url("metastore/airflow-3.3.2-nofernet.sqlite"), to: database)
        let request = JSONValue.array(bodies.map { .array([.string($0.0), .object($0.1)]) }).pythonDumps()
        let requestFile = try directory.write("bodies.json", request)
        let script = try directory.write("api.py", Self.script)
        let output = directory.url.appendingPathComponent("answers.json")
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AIRFLOW") }
        env["AIRFLOW_HOME"] = directory.url.appendingPathComponent("home").path
        let status = try await ChildProcess.run(try python(), [script.path, database.path, requestFile.path, output.path], environment: env)
        try #require(status == 0, "the Airflow API script failed")
        let text = try String(contentsOf: output, encoding: .utf8)
        guard case .object(let answers)? = try? JSONValue.parsePython(text) else { throw RealAirflow.Missing(description: "no answers") }
        func objects(_ name: String) -> [JSONObject] {
            guard case .array(let items)? = answers[name] else { return [] }
            return items.compactMap(\.objectValue)
        }
        return Answers(variables: objects("variables"), connections: objects("connections"), created: objects("created"))
    }

    static let script = """
        import json, os, sys
        os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = "sqlite:///" + sys.argv[1]
        os.environ["AIRFLOW__CORE__MULTI_TEAM"] = "True"
        os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
        os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] = "True"
        import logging
        logging.disable(logging.CRITICAL)
        from airflow.models import Variable, Connection
        from airflow.models.team import Team
        from airflow.utils.session import create_session
        with create_session() as session:
            session.add(Team(name="team_a"))
            session.add(Team(name="team_b"))
        with create_session() as session:
            session.add(Variable(key="mine", val="a's", team_name="team_a"))
            session.add(Variable(key="theirs", val="b's", team_name="team_b"))
            session.add(Variable(key="everyone", val="global"))
            session.add(Connection(conn_id="conn_b", conn_type="http", host="b.example", team_name="team_b"))
        from fastapi.testclient import TestClient
        from airflow.api_fastapi.app import create_app
        client = TestClient(create_app())
        created = []
        for collection, body in json.load(open(sys.argv[2])):
            reply = client.post("/api/v2/" + collection, json=body)
            created.append({"status": reply.status_code, "team_name": reply.json().get("team_name")})
        answers = {"created": created,
                   "variables": client.get("/api/v2/variables").json()["variables"],
                   "connections": client.get("/api/v2/connections").json()["connections"]}
        json.dump(answers, open(sys.argv[3], "w"))
        """

    @Test func anotherTeamsEntriesAreAbsentAndSayWhyAndTeamCreatesAreTheTeams() async throws {
        let teams = TeamLookup(isMultiTeam: true, team: "team_a")
        let bodies: [(String, JSONObject)] = [
            ("variables", try AirflowAPIWriteBody.create(.variable("fresh"), .variable("new", description: nil), team: "team_a")),
            ("connections", try AirflowAPIWriteBody.create(.connection("fresh_conn"), .connection(Connection(connType: "http", host: "n.example")),
                                                           team: "team_a")),
        ]
        let answers = try await Self.airflow(posting: bodies)

        // Airflow's API stores Strata's team creates as team_a's.
        #expect(answers.created.map { $0["status"] } == [.integer("201"), .integer("201")])
        #expect(answers.created.map { $0["team_name"]?.stringValue } == ["team_a", "team_a"])

        // It lists every team's entries, each with its team_name (null for a global one).
        let listed: Set<String> = Set(answers.variables.compactMap { $0["key"]?.stringValue })
        #expect(listed.isSuperset(of: ["mine", "theirs", "everyone", "fresh"]))
        #expect(answers.variables.allSatisfy { $0["team_name"] != nil })

        var records = answers.variables.compactMap { AirflowAPIEntry.variableRecord($0, reserializes: true) }
        records += answers.connections.compactMap { AirflowAPIEntry.connectionRecord($0, version: .v2) }
        let scoped = Dictionary(uniqueKeysWithValues: records.map { ($0.name, AirflowAPITier.scoped($0, teams: teams)) })
        #expect(scoped["mine"]?.state == .present(.variable("a's")))
        #expect(scoped["everyone"]?.state == .present(.variable("global")))
        #expect(scoped["fresh"]?.state == .present(.variable("new")))
        #expect(scoped["theirs"]?.state == .absent)
        #expect(scoped["theirs"]?.metadata["scope"]?.contains("team_name = 'team_a' OR NULL") == true)
        #expect(scoped["conn_b"]?.state == .absent)
        if case .present(.connection(let connection))? = scoped["fresh_conn"]?.state {
            #expect(connection.host == "n.example")
        } else {
            Issue.record("team a's new connection is not present")
        }

        // Without a team only global entries (the fixture's own rows among them) are this deployment's.
        let noTeam = TeamLookup(isMultiTeam: true, team: nil)
        let visible = Set(records.filter { AirflowAPITier.scoped($0, teams: noTeam).state != .absent }.map(\.name))
        #expect(visible.contains("everyone"))
        #expect(visible.isDisjoint(with: ["mine", "theirs", "fresh", "conn_b", "fresh_conn"]))
    }

    @Test func writingAnotherTeamsEntryIsRefusedInThePlan() throws {
        var record = TierRecord(kind: .variable, name: "theirs", suggestedID: "theirs", state: .present(.variable("b's")),
                                metadata: ["team_name": "team_b"])
        record = AirflowAPITier.scoped(record, teams: TeamLookup(isMultiTeam: true, team: "team_a"))
        let airflow = try RealAirflow.airflow3()
        var deployment = airflow.deployment(extraEnvironment: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let writer = AirflowAPITierWriter(tier: try airflow.tier(deployment))
        let refusal = try #require(writer.refusal(for: .set(.variable("theirs"), .variable("mine now", description: nil)), holding: record))
        #expect(refusal.kind == .invalid)
        #expect(refusal.message.contains("belongs to team 'team_b'"))
        #expect(writer.refusal(for: .delete(.variable("mine")), holding: nil) == nil)
    }

    @Test func anAPIWithoutTeamNamesIsSaidToBeUnableToTellTeamsApart() throws {
        let airflow = try RealAirflow.airflow3()
        var deployment = airflow.deployment(extraEnvironment: ["AIRFLOW__CORE__MULTI_TEAM": "True"])
        deployment.team = "team_a"
        let tier = try airflow.tier(deployment)
        var old = JSONObject()
        old["key"] = .string("k")
        old["value"] = .string("v")
        #expect(tier.teamWarning([old])?.contains("cannot tell which team") == true)
        old["team_name"] = .null
        #expect(tier.teamWarning([old]) == nil)
    }
}
