import Foundation

/// Asks a released Airflow provider's own secrets backend (from the Airflow 3.3.2 venv,
/// found through STRATA_TEST_AIRFLOW3_BIN) what it returns for some keys, in multi-team mode
/// (`AIRFLOW__CORE__MULTI_TEAM=True`) with a given team: `get_variable(key, team_name=...)` /
/// `get_conn_value(conn_id, team_name=...)`. The answer for a key is the returned text, or nil.
public enum ProviderLookups {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The backend class path, its kwargs (JSON-compatible), the environment it runs with and the
    /// team. Answers come back in `lookups` order as (kind, key, value).
    public static func run(backendClass: String, kwargs: [String: Any], environment: [String: String] = [:],
                           team: String?, lookups: [(kind: String, key: String)]) async throws -> [String?] {
        guard let binary = ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW3_BIN"], !binary.isEmpty else {
            throw Failure(description: "STRATA_TEST_AIRFLOW3_BIN is not set: run scripts/test, or "
                          + "`scripts/services/airflow-api.sh start && source /tmp/strata-services.env`")
        }
        let python = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("python")
        let directory = try TemporaryDirectory("strata-provider-lookups")
        defer { directory.remove() }
        let request: [String: Any] = ["class": backendClass, "kwargs": kwargs, "team": team ?? NSNull(),
                                      "lookups": lookups.map { [$0.kind, $0.key] }]
        let requestFile = directory.url.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: requestFile)
        let script = try directory.write("lookups.py", Self.script)
        let output = directory.url.appendingPathComponent("answers.json")

        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AIRFLOW") && !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("VAULT_") }
        env.merge(environment) { $1 }
        env["AIRFLOW_HOME"] = directory.url.appendingPathComponent("home").path
        env["AIRFLOW__CORE__MULTI_TEAM"] = "True"
        let status = try await ChildProcess.run(python, [script.path, requestFile.path, output.path], environment: env)
        guard status == 0 else {
            throw Failure(description: "the provider lookup script failed (exit \(status))")
        }
        let answers = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [Any] ?? []
        return answers.map { $0 as? String }
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
