import Foundation

/// Asks a released Airflow provider's own secrets backend (from the Airflow 3.3.2 venv,
/// found through STRATA_TEST_AIRFLOW3_BIN) what it returns for some keys, in multi-team mode
/// (`AIRFLOW__CORE__MULTI_TEAM=True`) with a given team: `get_variable(key, team_name=...)` /
/// `get_conn_value(conn_id, team_name=...)`. The answer for a key is the returned text, or nil.
public enum ProviderLookups {
    /// The backend class path, its kwargs (JSON-compatible), the environment it runs with and the
    /// team. Answers come back in `lookups` order as (kind, key, value).
    public static func run(backendClass: String, kwargs: [String: Any], environment: [String: String] = [:],
                           team: String?, lookups: [(kind: String, key: String)]) async throws -> [String?] {
        let request: [String: Any] = ["class": backendClass, "kwargs": kwargs, "team": team ?? NSNull(),
                                      "lookups": lookups.map { [$0.kind, $0.key] }]
        var env = environment
        env["AIRFLOW__CORE__MULTI_TEAM"] = "True"
        let answers = try await AirflowPythonScript.run(Self.script, request: request, environment: env, label: "provider lookup")
        return (answers as? [Any] ?? []).map { $0 as? String }
    }

    private static let script = """
        import importlib, json, sys
        request = json.load(open(sys.argv[1]))
        module, name = request["class"].rsplit(".", 1)
        backend = getattr(importlib.import_module(module), name)(**request["kwargs"])
        answers = []
        for kind, key in request["lookups"]:
            if kind == "variable":
                answers.append(backend.get_variable(key, team_name=request["team"]))
            else:
                answers.append(backend.get_conn_value(key, team_name=request["team"]))
        json.dump(answers, open(sys.argv[2], "w"))
        """
}
