import Foundation

/// Runs a Python script inside the Airflow 3.3.2 venv (found through STRATA_TEST_AIRFLOW3_BIN)
/// to ask released Airflow or its providers something: the request goes in as a JSON file, the
/// answer comes back as one. The child gets this process's environment without any `AIRFLOW*`,
/// `AWS_*` or `VAULT_*` variable, then `environment`, and an `AIRFLOW_HOME` of its own.
public enum AirflowPythonScript {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The script's JSON answer. `label` names the script in failures.
    public static func run(_ script: String, request: [String: Any], environment: [String: String] = [:],
                           label: String) async throws -> Any {
        guard let binary = ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW3_BIN"], !binary.isEmpty else {
            throw Failure(description: "STRATA_TEST_AIRFLOW3_BIN is not set: run scripts/test, or "
                          + "`scripts/services/airflow-api.sh start && source /tmp/strata-services.env`")
        }
        let python = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("python")
        let directory = try TemporaryDirectory("strata-airflow-script")
        defer { directory.remove() }
        let requestFile = directory.url.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: requestFile)
        let scriptFile = try directory.write("script.py", script)
        let output = directory.url.appendingPathComponent("answers.json")

        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("AIRFLOW") && !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("VAULT_")
        }
        env.merge(environment) { $1 }
        env["AIRFLOW_HOME"] = directory.url.appendingPathComponent("home").path
        let status = try await ChildProcess.run(python, [scriptFile.path, requestFile.path, output.path], environment: env)
        guard status == 0 else { throw Failure(description: "the \(label) script failed (exit \(status))") }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: output))
    }
}
