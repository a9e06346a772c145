import Foundation
import Testing
import TestSupport

/// A deployment whose metastore is a copy of the clear-text database real Airflow 3.3.2 wrote
/// (3 connections, 3 variables) and whose backend is Airflow's LocalFilesystemBackend over two
/// JSON files, plus a second deployment reading an env file.
private struct CopyWorkspace {
    let dir: TemporaryDirectory
    var connectionsFile: URL { dir.url.appendingPathComponent("connections.json") }
    var variablesFile: URL { dir.url.appendingPathComponent("variables.json") }
    var stagingEnv: URL { dir.url.appendingPathComponent("staging.env") }
    /// nf_postgres's password in the fixture: it must never be printed.
    static let secret = "p@ss w/rd"

    init(connections: String = "{}") throws {
        dir = try TemporaryDirectory("strata-copy")
        try dir.copyWritable(Fixtures.url("metastore/airflow-3.3.2-nofernet.sqlite"), as: "airflow.db")
        try dir.write("connections.json", connections)
        try dir.write("variables.json", "{}")
        try dir.write("staging.env", "AIRFLOW_VAR_REGION=eu-west-1\nAIRFLOW_CONN_CACHE='redis://:cache-s3cret@cache.internal:6379/0'\n")
        try dir.write("prod.env", "# prod\n")
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            airflow: 3
            metastore: sqlite:///airflow.db
            env_files: [prod.env]
            env:
              AIRFLOW__SECRETS__BACKEND: airflow.secrets.local_filesystem.LocalFilesystemBackend
              AIRFLOW__SECRETS__BACKEND_KWARGS: '{"connections_file_path": "\(connectionsFile.path)", "variables_file_path": "\(variablesFile.path)"}'
          - name: staging
            airflow: 3
            env_files: [staging.env]
        """)
    }

    func run(_ arguments: [String]) throws -> StrataProcess.Result {
        try StrataProcess.run(arguments, in: dir.url)
    }

    func json(_ file: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
    }

    func text(_ name: String) -> String {
        (try? String(contentsOf: dir.url.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
}

@Suite("strata copy: many keys between tiers and deployments, plan first")
struct CopyCommandTests {
    @Test func copyingTheMetastoreIntoTheBackendWritesEveryKeyVerifiesItAndPrintsNoSecret() throws {
        let ws = try CopyWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Plan: copy 3 connections, 3 variables from metastore (sqlite)"))
        #expect(result.stdout.contains("Done: 6 written, 6 verified"))
        #expect(result.stdout.contains("row becomes dead"))
        #expect(!result.stdout.contains(CopyWorkspace.secret) && !result.stderr.contains(CopyWorkspace.secret))
        #expect(Set(try ws.json(ws.connectionsFile).keys) == ["nf_aws", "nf_no_password", "nf_postgres"])
        #expect(try ws.json(ws.variablesFile)["nf_unicode"] as? String == "été ☃")

        let explain = try ws.run(["explain", "nf_postgres", "--conn", "--json", "--reveal"])
        #expect(explain.stdout.contains("\"winner\" : \"backend\"") || explain.stdout.contains("\"winner\": \"backend\""))
        #expect(explain.stdout.contains(CopyWorkspace.secret.replacingOccurrences(of: "/", with: "\\/"))
                || explain.stdout.contains(CopyWorkspace.secret))

        let again = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--yes"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("Summary: 6 unchanged."), "\(again.stdout)")
    }

    @Test func aDifferingTargetKeyStopsTheCopyBeforeAnythingIsWrittenUnlessToldToSkip() throws {
        let ws = try CopyWorkspace(connections: #"{"nf_postgres": "postgres://other:pw@elsewhere:5432/db"}"#)
        defer { ws.dir.remove() }
        let before = ws.text("connections.json")
        let blocked = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--yes"])
        #expect(blocked.status == 1)
        #expect(blocked.stdout.contains("conflict  conn:nf_postgres"))
        #expect(blocked.stdout.contains("Nothing is written: 1 key(s) differ"))
        #expect(ws.text("connections.json") == before)
        #expect(try ws.json(ws.variablesFile).isEmpty)

        let skipping = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--yes", "--on-conflict", "skip"])
        #expect(skipping.status == 0, "\(skipping.stdout)")
        #expect(try ws.json(ws.connectionsFile)["nf_postgres"] as? String == "postgres://other:pw@elsewhere:5432/db")
        #expect(try ws.json(ws.variablesFile).count == 3)
    }

    @Test func aDryRunAndAMissingConfirmationWriteNothing() throws {
        let ws = try CopyWorkspace()
        defer { ws.dir.remove() }
        let dry = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("Plan (dry run)") && dry.stdout.contains("(dry run: nothing was written)"))
        let unconfirmed = try ws.run(["copy", "--from", "metastore", "--to", "backend"])
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("confirm with --yes"))
        #expect(ws.text("connections.json") == "{}" && ws.text("variables.json") == "{}")
    }

    @Test func aMoveEmptiesTheSourceOnceEachCopyIsVerifiedAndARerunHasNothingToDo() throws {
        let ws = try CopyWorkspace()
        defer { ws.dir.remove() }
        let move = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--move", "--yes", "--vars"])
        #expect(move.status == 0, "\(move.stdout)\(move.stderr)")
        #expect(move.stdout.contains("3 deleted from the source"))
        let list = try ws.run(["list", "--json"])
        #expect(list.status == 0)
        let entries = try #require(try list.json() as? [[String: Any]])
        let variables = entries.filter { $0["kind"] as? String == "variable" }
        #expect(variables.count == 3 && variables.allSatisfy { $0["winner"] as? String == "backend" })
        let again = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--move", "--yes", "--vars"])
        #expect(again.stdout.contains("move nothing"), "\(again.stdout)")
    }

    @Test func theResolvedValuesOfOneDeploymentGoIntoATierOfAnother() throws {
        let ws = try CopyWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["copy", "--from", "staging", "--to", "prod:metastore", "--yes", "--output", "json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let plan = try #require(try result.json() as? [String: Any])
        let steps = try #require(plan["steps"] as? [[String: Any]])
        #expect(steps.map { "\($0["kind"] ?? ""):\($0["id"] ?? ""):\($0["action"] ?? "")" }.sorted()
                == ["connection:cache:create", "variable:region:create"])
        #expect(!result.stdout.contains("cache-s3cret"))
        let explain = try ws.run(["explain", "region", "--var", "--json", "--reveal", "-d", "prod"])
        #expect(explain.stdout.contains("eu-west-1"))
    }

    @Test func selectionsNarrowTheCopyAndUnknownIdsAreAnError() throws {
        let ws = try CopyWorkspace()
        defer { ws.dir.remove() }
        let matched = try ws.run(["copy", "--from", "metastore", "--to", "backend", "--match", "nf_p*", "--dry-run"])
        #expect(matched.stdout.contains("conn:nf_postgres") && matched.stdout.contains("var:nf_plain"))
        #expect(!matched.stdout.contains("nf_aws"))
        let missing = try ws.run(["copy", "--from", "metastore", "--to", "backend", "nf_postgres", "nope", "--dry-run"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("holds no nope"))
        let same = try ws.run(["copy", "--from", "metastore", "--to", "metastore"])
        #expect(same.status == 2)
        let moveResolved = try ws.run(["copy", "--from", "staging", "--to", "prod:env", "--move"])
        #expect(moveResolved.status == 2)
        #expect(moveResolved.stderr.contains("--move needs a source tier"))
    }
}
