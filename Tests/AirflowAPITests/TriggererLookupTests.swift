import Backends
import Engine
import Foundation
import Testing
import TestSupport

/// Strata's triggerer context against a real Airflow 3.3.2 triggerer. The probe
/// (scripts/test-support/airflow-triggerer-probe.py) queues an async deadline callback, runs
/// `airflow triggerer` until it finishes, and reports which tier answered each lookup; every
/// value's host (or a variable's text) names the tier that holds it. The deployment turns the
/// greenback portal off, so one run shows both the async path (every tier) and a sync call made
/// straight from the event loop (only the runner's own tiers).
@Suite("Triggerer lookups match a real Airflow 3 triggerer", .serialized)
struct TriggererLookupTests {
    static let tierNames: [String: TierID] = [
        "workers-backend": .workersBackend, "secrets-backend": .backend, "env": .env, "metastore": .metastore,
    ]

    struct Scenario {
        let dir: TemporaryDirectory
        var environment: [String: String]
        let spec: [String: Any]
        let connections: [String]
        let variables: [String]
    }

    /// Ids named after where they live; each tier's copy names that tier. Without a workers
    /// backend the runner asks `[secrets] backend` first instead.
    static func scenario(workersBackend: Bool) throws -> Scenario {
        let dir = try TemporaryDirectory("strata-triggerer")
        let secrets = try dir.write("secrets.json", json([
            "only_secrets": "http://secrets-backend", "secrets_meta": "http://secrets-backend",
            "everywhere": "http://secrets-backend", "secrets_env": "http://secrets-backend"]))
        let workers = try dir.write("workers.json", json(["only_workers": "http://workers-backend",
                                                           "everywhere": "http://workers-backend"]))
        let secretVariables = try dir.write("secret-vars.json", json(["v_secrets": "secrets-backend", "v_all": "secrets-backend",
                                                                     "v_secrets_env": "secrets-backend"]))
        let workerVariables = try dir.write("worker-vars.json", json(["v_workers": "workers-backend", "v_all": "workers-backend"]))
        var environment = [
            "AIRFLOW_CONN_ONLY_ENV": "http://env", "AIRFLOW_CONN_EVERYWHERE": "http://env",
            "AIRFLOW_CONN_ENV_META": "http://env", "AIRFLOW_CONN_SECRETS_ENV": "http://env",
            "AIRFLOW_VAR_V_ENV": "env", "AIRFLOW_VAR_V_ALL": "env", "AIRFLOW_VAR_V_SECRETS_ENV": "env",
            "AIRFLOW__SECRETS__BACKEND": "airflow.secrets.local_filesystem.LocalFilesystemBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": json(["connections_file_path": secrets.path, "variables_file_path": secretVariables.path]),
            "AIRFLOW_DISABLE_GREENBACK_PORTAL": "true",
        ]
        if workersBackend {
            environment["AIRFLOW__WORKERS__SECRETS_BACKEND"] = "airflow.secrets.local_filesystem.LocalFilesystemBackend"
            environment["AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS"] =
                json(["connections_file_path": workers.path, "variables_file_path": workerVariables.path])
        }
        let connections = ["only_env", "only_meta", "only_secrets", "only_workers", "secrets_meta",
                           "everywhere", "env_meta", "secrets_env", "nowhere"]
        let variables = ["v_env", "v_meta", "v_secrets", "v_workers", "v_all", "v_secrets_env", "v_nowhere"]
        let spec: [String: Any] = [
            "work_dir": dir.url.appendingPathComponent("probe").path,
            "metastore_connections": ["only_meta": "http://metastore", "secrets_meta": "http://metastore",
                                      "everywhere": "http://metastore", "env_meta": "http://metastore"],
            "metastore_variables": ["v_meta": "metastore", "v_all": "metastore"],
            "connections": connections, "variables": variables, "timeout_seconds": 300,
        ]
        return Scenario(dir: dir, environment: environment, spec: spec, connections: connections, variables: variables)
    }

    static func json(_ object: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs the probe with the Airflow 3 virtualenv's Python; returns its report.
    static func probe(_ scenario: Scenario) async throws -> [String: Any] {
        let env = ProcessInfo.processInfo.environment
        guard let airflow = env["STRATA_TEST_AIRFLOW3_BIN"], let home = env["STRATA_TEST_AIRFLOW3_HOME"] else {
            throw RealAirflow.Missing(description: "STRATA_TEST_AIRFLOW3_BIN and STRATA_TEST_AIRFLOW3_HOME must be set: run scripts/test, "
                                      + "or `scripts/services/airflow-api.sh start && source /tmp/strata-services.env`.")
        }
        var spec = scenario.spec
        // A consistent copy of the test server's migrated database saves a 30 s `db migrate`.
        spec["source_db"] = home + "/airflow.db"
        let specFile = try scenario.dir.write("spec.json", String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self))
        let python = URL(fileURLWithPath: airflow).deletingLastPathComponent().appendingPathComponent("python").path
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/test-support/airflow-triggerer-probe.py").path
        // Only what Airflow needs from this process; the deployment's settings come from the scenario.
        var environment = scenario.environment
        for name in ["PATH", "HOME", "LANG", "TMPDIR"] { environment[name] = env[name] }
        let output = try await run(python, [script, specFile.path], environment: environment)
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("STRATA-PROBE-RESULT ") }),
              let report = try JSONSerialization.jsonObject(with: Data(line.dropFirst("STRATA-PROBE-RESULT ".count).utf8)) as? [String: Any] else {
            throw RealAirflow.Missing(description: "the probe printed no result")
        }
        if let error = report["error"] as? String { throw RealAirflow.Missing(description: "the probe failed: \(error)") }
        return report
    }

    /// Runs a process on a thread of its own and returns its stdout (stderr is discarded: it
    /// is Airflow's log, and a deadline inside the probe bounds the run).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    process.environment = environment
                    let out = Pipe()
                    process.standardOutput = out
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return String(decoding: data, as: UTF8.self)
                })
            }
        }
    }

    /// The tier a probe outcome names, or nil for "not found".
    static func tier(_ outcome: Any?, field: String) throws -> TierID? {
        let outcome = try #require(outcome as? [String: Any])
        guard outcome["found"] as? Bool == true else { return nil }
        let name = try #require(outcome[field] as? String)
        return try #require(tierNames[name], "unexpected \(field) \(name)")
    }

    @Test(arguments: [true, false])
    func theTriggerersChainIsStratasTriggererContext(workersBackend: Bool) async throws {
        var scenario = try Self.scenario(workersBackend: workersBackend)
        defer { scenario.dir.remove() }
        let report = try await Self.probe(scenario)

        // What Airflow's runner process is: a Task SDK client of its supervisor's Execution API.
        let context = try #require(report["context"] as? [String: Any])
        #expect(context["process_context"] as? String == "client")
        #expect(context["supervisor_comms"] as? Bool == true)
        #expect(context["search_path"] as? [String] == [
            "airflow.secrets.local_filesystem.LocalFilesystemBackend",
            "airflow.secrets.environment_variables.EnvironmentVariablesBackend",
            "airflow.sdk.execution_time.secrets.execution_api.ExecutionAPISecretsBackend",
        ])
        // The custom backend asked first: [workers] when set, else [secrets].
        let firstFile = (context["backend_kwargs"] as? [Any])?.first as? String
        #expect(firstFile?.hasSuffix(workersBackend ? "/workers.json" : "/secrets.json") == true, "\(String(describing: firstFile))")

        // Strata reads the same deployment, its metastore being the probe's private database.
        scenario.environment["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] =
            "sqlite:///" + scenario.dir.url.appendingPathComponent("probe/airflow-home/airflow.db").path
        var environment = DeploymentEnvironment()
        for (name, value) in scenario.environment { environment.set(name, value, origin: .inline) }
        let deployment = Deployment(name: "triggerer", airflowVersion: .v3, environment: environment)
        let loader = DeploymentLoader(factory: AppTierFactory())
        var states: [DeploymentState] = []
        for context in LookupContext.allCases { states.append(await loader.loadAll(deployment, context: context)) }
        let triggerer = try #require(states.first { $0.context == .triggerer })
        #expect(triggerer.unreadableTiers.isEmpty, "\(triggerer.unreadableTiers)")
        #expect(triggerer.chain == (workersBackend ? [.workersBackend, .env, .backend, .metastore] : [.backend, .env, .metastore]))

        let connections = try #require(report["connections"] as? [String: Any])
        for id in scenario.connections {
            let styles = try #require(connections[id] as? [String: Any])
            let comparison = ContextComparison(key: .connection(id), states: states)
            let strata = try #require(comparison.answers.first { $0.context == .triggerer && $0.reachable == nil })
            for style in ["aget_connection", "sync_to_async"] {
                #expect(try Self.tier(styles[style], field: "host") == strata.winner, "\(id) via \(style)")
            }
            let sync = try #require(comparison.answers.first { $0.reachable != nil })
            #expect(try Self.tier(styles["sync_in_loop"], field: "host") == sync.winner, "\(id) via a sync call in the loop")
        }
        let variables = try #require(report["variables"] as? [String: Any])
        for key in scenario.variables {
            let styles = try #require(variables[key] as? [String: Any])
            let comparison = ContextComparison(key: .variable(key), states: states)
            let strata = try #require(comparison.answers.first { $0.context == .triggerer && $0.reachable == nil })
            #expect(try Self.tier(styles["sync_to_async"], field: "value") == strata.winner, "\(key) via sync_to_async")
            let sync = try #require(comparison.answers.first { $0.reachable != nil })
            #expect(try Self.tier(styles["sync_in_loop"], field: "value") == sync.winner, "\(key) via a sync call in the loop")
        }

        // The scenario is one where the contexts really differ: with a workers backend env
        // outranks [secrets] only for clients; either way only the runner's own tiers answer a
        // sync call without the portal.
        let split = ContextComparison(key: .connection("secrets_env"), states: states)
        #expect(split.answers.map(\.winner) == (workersBackend ? [.backend, .env, .env, .env] : [.backend, .backend, .backend, .backend]))
        let metastoreOnly = ContextComparison(key: .connection("only_meta"), states: states)
        #expect(metastoreOnly.answers.map(\.winner) == [.metastore, .metastore, .metastore, nil])
    }
}
