import Foundation
import TestSupport

/// Real Airflow's CLI commands (3.3.2, or 2.11.0) (`connections import`, `variables export`…) run through
/// Airflow's own argument parser in one Python process, against a fresh SQLite metastore:
/// one `db migrate` for a whole scenario instead of one per command (each costs seconds).
struct RealAirflowCLI {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// One CLI command; `clear` empties both tables first, `dump` reads them back afterwards.
    struct Step {
        var argv: [String]
        var clear = false
        var dump = false
    }

    /// What the metastore held after a `dump` step, read through Airflow's ORM (decrypted),
    /// and whether the step's command failed.
    struct Dump {
        var connections: [String: [String: Any]]
        var variables: [String: [String: Any]]
        var failed: Bool
    }

    let python: URL
    let dir: TemporaryDirectory

    /// `binary`: the environment variable naming the `airflow` of the version to run.
    init(dir: TemporaryDirectory, binary: String = "STRATA_TEST_AIRFLOW3_BIN") throws {
        guard let airflow = ProcessInfo.processInfo.environment[binary], !airflow.isEmpty else {
            throw Missing(description: "\(binary) must name real Airflow's `airflow` (run scripts/test, or "
                          + "`scripts/services/airflow-api.sh start && source /tmp/strata-services.env`)")
        }
        python = URL(fileURLWithPath: airflow).deletingLastPathComponent().appendingPathComponent("python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Missing(description: "no python beside STRATA_TEST_AIRFLOW3_BIN (\(airflow)): it must be the airflow of a virtualenv")
        }
        self.dir = dir
    }

    /// Runs `steps` in order after `db migrate`; the dumps of the steps that asked for one.
    func run(_ steps: [Step]) async throws -> [Dump] {
        let home = dir.url.appendingPathComponent("airflow-home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let log = dir.url.appendingPathComponent("airflow.log")
        let out = dir.url.appendingPathComponent("dumps.json")
        let spec: [String: Any] = [
            "log": log.path, "out": out.path,
            "steps": steps.map { ["argv": $0.argv, "clear": $0.clear, "dump": $0.dump] as [String: Any] },
        ]
        let specFile = dir.url.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specFile)
        let driver = try dir.write("driver.py", Self.driver)
        let environment = [
            "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "AIRFLOW_HOME": home.path, "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "sqlite:///\(home.path)/airflow.db",
        ]
        let status = try await ChildProcess.run(python, [driver.path, specFile.path], environment: environment)
        // The log may hold values (Airflow prints some failures with them): only its path is shown.
        guard status == 0 else {
            // The test's folder is removed when it ends: the log is kept beside it.
            let kept = FileManager.default.temporaryDirectory.appendingPathComponent("strata-airflow-cli-\(UUID().uuidString.prefix(8)).log")
            try? FileManager.default.copyItem(at: log, to: kept)
            throw Missing(description: "the Airflow driver exited \(status); its log is kept in \(kept.path)")
        }
        let data = try Data(contentsOf: out)
        guard let dumps = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw Missing(description: "the Airflow driver wrote no dumps")
        }
        return dumps.map {
            Dump(connections: $0["connections"] as? [String: [String: Any]] ?? [:],
                 variables: $0["variables"] as? [String: [String: Any]] ?? [:], failed: $0["failed"] as? Bool ?? true)
        }
    }

    static let driver = """
    import json, signal, sys
    signal.alarm(600)  # never hang a test run
    spec = json.load(open(sys.argv[1]))
    log = open(spec["log"], "w")
    sys.stdout = log
    sys.stderr = log
    from airflow.cli import cli_parser
    parser = cli_parser.get_parser()

    def run(argv):
        args = parser.parse_args(argv)
        args.func(args)

    run(["db", "migrate"])
    from sqlalchemy import delete, select
    from airflow.models import Connection, Variable
    from airflow.utils.session import create_session

    def dump():
        with create_session() as session:
            conns = {c.conn_id: {"conn_type": c.conn_type, "description": c.description, "host": c.host,
                                 "login": c.login, "password": c.password, "schema": c.schema, "port": c.port,
                                 "extra": c.extra} for c in session.scalars(select(Connection))}
            variables = {v.key: {"value": v.val, "description": v.description} for v in session.scalars(select(Variable))}
        return {"connections": conns, "variables": variables}

    results = []
    for step in spec["steps"]:
        if step["clear"]:
            with create_session() as session:
                session.execute(delete(Connection))
                session.execute(delete(Variable))
        failed = False
        try:
            run(step["argv"])
        except BaseException:
            # SystemExit included: the CLI refused the file. Its message may quote values.
            failed = True
        if step["dump"]:
            results.append(dict(dump(), failed=failed))
    with open(spec["out"], "w") as out:
        json.dump(results, out)

    """
}
