import Foundation
import Testing
import TestSupport

/// A deployment with a copy of the clear-text metastore real Airflow 3.3.2 wrote and an env file.
private struct ImportWorkspace {
    let dir: TemporaryDirectory
    var envText: String { (try? String(contentsOf: dir.url.appendingPathComponent("prod.env"), encoding: .utf8)) ?? "" }

    init() throws {
        dir = try TemporaryDirectory("strata-import")
        try dir.copyWritable(Fixtures.url("metastore/airflow-3.3.2-nofernet.sqlite"), as: "airflow.db")
        try dir.write("prod.env", "# prod\n")
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            airflow: 3
            metastore: sqlite:///airflow.db
            env_files: [prod.env]
        """)
    }

    func run(_ arguments: [String]) throws -> StrataProcess.Result {
        try StrataProcess.run(arguments, in: dir.url)
    }
}

@Suite("strata import: Airflow and Astro files into one tier, through the copy plan")
struct ImportCommandTests {
    @Test func anExportImportedIntoAnotherTierGivesBackTheSameFileAndARerunChangesNothing() throws {
        let ws = try ImportWorkspace()
        defer { ws.dir.remove() }
        #expect(try ws.run(["export", "--conns", "--tier", "metastore", "--format", "json", "--output", "conns.json"]).status == 0)
        let imported = try ws.run(["import", "conns.json", "--conns", "--tier", "env", "--yes"])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        #expect(imported.stdout.contains("Done: 3 written, 3 verified"))
        #expect(!imported.stdout.contains("p@ss w/rd") && !imported.stderr.contains("p@ss w/rd"))
        #expect(ws.envText.contains("AIRFLOW_CONN_NF_POSTGRES="))
        #expect(try ws.run(["export", "--conns", "--tier", "env", "--format", "json", "--output", "back.json"]).status == 0)
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.dir.url.appendingPathComponent("conns.json"))) as? NSDictionary
        let back = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.dir.url.appendingPathComponent("back.json"))) as? NSDictionary
        #expect(original != nil && original == back)
        let again = try ws.run(["import", "conns.json", "--conns", "--tier", "env", "--yes"])
        #expect(again.stdout.contains("Summary: 3 unchanged."))
    }

    @Test func aFileInAirflowsOwnShapeKeepsEveryFieldItCarries() throws {
        let ws = try ImportWorkspace()
        defer { ws.dir.remove() }
        _ = try ws.dir.write("airflow-conns.json", """
        {"warehouse": {"conn_type": "postgres", "host": "wh.internal", "login": "etl", "password": "wh-s3cret",
                       "schema": "analytics", "port": 5432, "extra": {"sslmode": "require"}, "description": "the warehouse"}}
        """)
        let result = try ws.run(["import", "airflow-conns.json", "--conns", "--tier", "metastore", "--yes"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("wh-s3cret"))
        let explain = try ws.run(["explain", "warehouse", "--conn", "--json", "--reveal"])
        let object = try #require(try explain.json() as? [String: Any])
        let connection = try #require(object["connection"] as? [String: Any])
        #expect(connection["description"] as? String == "the warehouse")
        #expect(connection["port"] as? Int == 5432)
        #expect(connection["password"] as? String == "wh-s3cret")
        #expect((connection["extra"] as? String).map { $0.contains("sslmode") } == true)
    }

    @Test func aDryRunWritesNothingAndAFileWithoutItsKindIsRefused() throws {
        let ws = try ImportWorkspace()
        defer { ws.dir.remove() }
        _ = try ws.dir.write("vars.json", #"{"region": "eu-west-1", "limits": {"b": 2, "a": [1]}}"#)
        let dry = try ws.run(["import", "vars.json", "--vars", "--tier", "env", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("create    var:limits") && dry.stdout.contains("create    var:region"))
        #expect(ws.envText == "# prod\n")
        let unsaid = try ws.run(["import", "vars.json", "--tier", "env", "--yes"])
        #expect(unsaid.status == 1)
        #expect(unsaid.stderr.contains("--conns or --vars"))
        #expect(ws.envText == "# prod\n")
        let missing = try ws.run(["import", "nope.json", "--vars", "--tier", "env", "--yes"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nothing was written"))
    }
}
