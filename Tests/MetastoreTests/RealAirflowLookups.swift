import Foundation
import TestSupport

/// Asks real Airflow 3.3.2 (the venv scripts/services/airflow-api.sh uses, found through
/// STRATA_TEST_AIRFLOW3_BIN) what `Variable.get_variable_from_secrets` and
/// `Connection.get_connection_from_secrets` return for some keys, with a given environment,
/// metastore, `[core] multi_team` and team. No secrets backend is configured, so the chain is
/// the environment, then the metastore.
enum RealAirflowLookups {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One answer: a variable's value or a connection's host; nil when Airflow finds nothing.
    struct Answer: Equatable {
        var kind: String
        var key: String
        var value: String?
    }

    static var python: URL {
        get throws {
            guard let binary = ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW3_BIN"], !binary.isEmpty else {
                throw Failure(description: "STRATA_TEST_AIRFLOW3_BIN is not set: run scripts/test, or "
                              + "`scripts/services/airflow-api.sh start && source /tmp/strata-services.env`")
            }
            return URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("python")
        }
    }

    /// What Airflow stores first, through its own models with multi-team on: teams, then
    /// variables (key, value, team) and http connections (id, host, team).
    struct Seed {
        var teams: [String] = []
        var variables: [(key: String, value: String, team: String?)] = []
        var connections: [(id: String, host: String, team: String?)] = []

        var json: [String: Any] {
            ["teams": teams,
             "variables": variables.map { [$0.key, $0.value, $0.team ?? NSNull()] as [Any] },
             "connections": connections.map { [$0.id, $0.host, $0.team ?? NSNull()] as [Any] }]
        }
    }

    /// One set of lookups: `[core] multi_team`, the team, and the `AIRFLOW_VAR_*` /
    /// `AIRFLOW_CONN_*` environment they are made with.
    struct Scenario {
        var multiTeam: Bool
        var team: String?
        var environment: [String: String]
        var lookups: [(kind: String, key: String)]
    }

    /// Seeds `database`, then runs each scenario in turn (one Python process: starting
    /// Airflow is the slow part). Answers per scenario, in lookup order.
    static func run(database: URL, seed: Seed, scenarios: [Scenario]) async throws -> [[Answer]] {
        let directory = try TemporaryDirectory("strata-airflow-teams")
        defer { directory.remove() }
        let request: [String: Any] = [
            "db": database.path, "seed": seed.json,
            "scenarios": scenarios.map { scenario -> [String: Any] in
                ["multi_team": scenario.multiTeam ? "True" : "False", "team": scenario.team ?? NSNull(),
                 "env": scenario.environment, "lookups": scenario.lookups.map { [$0.kind, $0.key] }]
            },
        ]
        let requestFile = directory.url.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: requestFile)
        let script = try directory.write("lookups.py", Self.script)
        let output = directory.url.appendingPathComponent("answers.json")

        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AIRFLOW") }
        env["AIRFLOW_HOME"] = directory.url.appendingPathComponent("home").path
        let status = try await ChildProcess.run(try python, [script.path, requestFile.path, output.path], environment: env)
        guard status == 0 else {
            throw Failure(description: "the Airflow lookup script failed (exit \(status))")
        }
        let answers = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [[[Any]]] ?? []
        return answers.map { scenario in
            scenario.map { Answer(kind: $0[0] as? String ?? "", key: $0[1] as? String ?? "", value: $0[2] as? String) }
        }
    }

    private static let script = """
        import json, os, sys
        request = json.load(open(sys.argv[1]))
        os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = "sqlite:///" + request["db"]
        os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
        os.environ["_AIRFLOW_PROCESS_CONTEXT"] = "server"
        os.environ["AIRFLOW__CORE__MULTI_TEAM"] = "True"
        from airflow.models import Variable, Connection
        from airflow.models.team import Team
        from airflow.utils.session import create_session
        seed = request["seed"]
        with create_session() as session:
            for name in seed["teams"]:
                session.add(Team(name=name))
        for key, value, team in seed["variables"]:
            Variable.set(key, value, team_name=team)
        with create_session() as session:
            for conn_id, host, team in seed["connections"]:
                session.add(Connection(conn_id=conn_id, conn_type="http", host=host, team_name=team))
        all_answers = []
        for scenario in request["scenarios"]:
            os.environ["AIRFLOW__CORE__MULTI_TEAM"] = scenario["multi_team"]
            for name in [n for n in os.environ if n.startswith(("AIRFLOW_VAR_", "AIRFLOW_CONN_"))]:
                del os.environ[name]
            for name, value in scenario["env"].items():
                os.environ[name] = value
            answers = []
            for kind, key in scenario["lookups"]:
                if kind == "variable":
                    value = Variable.get_variable_from_secrets(key=key, team_name=scenario["team"])
                else:
                    try:
                        value = Connection.get_connection_from_secrets(key, team_name=scenario["team"]).host
                    except Exception as error:
                        if type(error).__name__ != "AirflowNotFoundException":
                            raise
                        value = None
                answers.append([kind, key, value])
            all_answers.append(answers)
        json.dump(all_answers, open(sys.argv[2], "w"))
        """
}
