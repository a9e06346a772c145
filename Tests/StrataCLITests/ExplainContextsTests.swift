import Foundation
import Testing
import TestSupport

/// `strata explain` on Airflow 3 resolves the key as the API server, a worker task and the
/// triggerer, and names each one's winner when they disagree (docs/triggerer-lookup.md).
@Suite("Command line: explain across server, worker and triggerer")
struct ExplainContextsTests {
    /// A deployment with a `[secrets]` and a `[workers]` local-files backend and `env`.
    static func workspace(airflow: Int = 3, env: [String: String] = [:]) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let secrets = try dir.write("secrets.json", """
        {"split": "http://secrets-backend", "backend_only": "http://secrets-backend", "agreed": "http://same-everywhere"}
        """)
        let secretVariables = try dir.write("secret-vars.json", #"{"behind_api": "from the secrets backend"}"#)
        let workers = try dir.write("workers.json", #"{"workers_only": "http://workers-backend"}"#)
        var yaml = """
        deployments:
          - name: prod
            airflow: "\(airflow)"
            env:
              AIRFLOW__SECRETS__BACKEND: airflow.secrets.local_filesystem.LocalFilesystemBackend
              AIRFLOW__SECRETS__BACKEND_KWARGS: '{"connections_file_path": "\(secrets.path)", "variables_file_path": "\(secretVariables.path)"}'
              AIRFLOW__WORKERS__SECRETS_BACKEND: airflow.secrets.local_filesystem.LocalFilesystemBackend
              AIRFLOW__WORKERS__SECRETS_BACKEND_KWARGS: '{"connections_file_path": "\(workers.path)"}'
              AIRFLOW_CONN_SPLIT: 'http://from-env'

        """
        for (key, value) in env.sorted(by: { $0.key < $1.key }) { yaml += "      \(key): '\(value)'\n" }
        try dir.write("strata.yaml", yaml)
        return dir
    }

    func contextLines(_ output: String) -> [String] {
        guard let start = output.range(of: "  contexts disagree") else { return [] }
        return output[start.lowerBound...].split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func envAheadOfTheBackendSplitsTheServerFromWorkersAndTriggers() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let result = try StrataProcess.run(["explain", "split", "--conn"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("connection split in prod: supplied by backend"), "\(result.stdout)")
        #expect(contextLines(result.stdout) == [
            "server     backend (local files)",
            "worker     env (environment) — a different value from server's",
            "triggerer  env (environment) — a different value from server's",
        ], "\(result.stdout)")
    }

    @Test func theTriggererContextPutsTheWorkersBackendFirst() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let result = try StrataProcess.run(["explain", "workers_only", "--conn", "--context", "triggerer"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("supplied by workers_backend"), "\(result.stdout)")
        let tiers = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { ["workers_backend", "env", "backend", "metastore"].contains($0) }
        #expect(tiers == ["workers_backend", "env", "backend", "metastore"])
        #expect(contextLines(result.stdout).first == "server     nothing — AirflowNotFoundException", "\(result.stdout)")
    }

    @Test func contextsThatAgreeAddNoSection() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let result = try StrataProcess.run(["explain", "backend_only", "--conn"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("contexts disagree"), "\(result.stdout)")
    }

    @Test func withTheGreenbackPortalOffASyncTriggerCallMissesWhatIsBehindTheExecutionAPI() throws {
        let dir = try Self.workspace(env: ["AIRFLOW_DISABLE_GREENBACK_PORTAL": "true"])
        defer { dir.remove() }
        let result = try StrataProcess.run(["explain", "behind_api", "--var"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = contextLines(result.stdout)
        #expect(lines == [
            "server     backend (local files)",
            "worker     backend (local files)",
            "triggerer  backend (local files)",
            "triggerer (a sync call in trigger code, AIRFLOW_DISABLE_GREENBACK_PORTAL=true: only workers_backend, env are reached)",
            "nothing — VARIABLE_NOT_FOUND",
        ], "\(result.stdout)")
        // The value itself is never part of the section.
        #expect(!lines.joined().contains("from the secrets backend"))
    }

    @Test func jsonCarriesEveryContextsWinner() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let result = try StrataProcess.run(["explain", "split", "--conn", "--json"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let entry = try #require(try result.json() as? [String: Any])
        let contexts = try #require(entry["contexts"] as? [String: Any])
        #expect(contexts["disagree"] as? Bool == true)
        let answers = try #require(contexts["answers"] as? [[String: Any]])
        #expect(answers.map { $0["context"] as? String } == ["server", "worker", "triggerer"])
        #expect(answers.map { $0["winner"] as? String } == ["backend", "env", "env"])
    }

    @Test func airflow2HasNoContextsToCompare() throws {
        let dir = try Self.workspace(airflow: 2)
        defer { dir.remove() }
        let result = try StrataProcess.run(["explain", "split", "--conn"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("supplied by backend"), "\(result.stdout)")
        #expect(!result.stdout.contains("contexts disagree"))
        let json = try StrataProcess.run(["explain", "split", "--conn", "--json"], in: dir.url)
        #expect((try json.json() as? [String: Any])?["contexts"] == nil)
    }
}
