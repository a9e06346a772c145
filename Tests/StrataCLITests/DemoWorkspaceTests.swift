import Foundation
import Testing
import TestSupport

/// The demo is what a new user sees first, so its resolution is checked entry by entry.
@Suite("strata demo and the commands on its workspace")
struct DemoWorkspaceTests {
    static let secrets = ["backend-password", "env-password", "metastore-password", "tok_demo_9f8e7d6c5b4a",
                          "xoxb-demo-token", "demo-secret-access-key", "staging-password", "prod-password", "espresso"]

    /// Writes the demo to a fresh folder and returns its workspace path.
    func demo() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory("strata-demo-test")
        let result = try StrataProcess.run(["demo", "--print", "--folder", dir.url.appendingPathComponent("demo").path])
        #expect(result.status == 0, "\(result.stderr)")
        return (dir, dir.url.appendingPathComponent("demo/strata.yaml").path)
    }

    func entries(_ result: StrataProcess.Result) throws -> [[String: Any]] {
        try #require(try result.json() as? [[String: Any]])
    }

    func entry(_ entries: [[String: Any]], _ kind: String, _ id: String) throws -> [String: Any] {
        try #require(entries.first { $0["kind"] as? String == kind && $0["id"] as? String == id }, "\(kind) \(id)")
    }

    func tiers(_ entry: [String: Any]) -> [String] {
        (entry["tiers"] as? [[String: Any]] ?? []).map { tier in
            let same = tier["same_as_winner"].map { $0 is NSNull ? "-" : (($0 as? Bool) == true ? "same" : "differs") } ?? "?"
            return "\(tier["tier"]!):\(tier["state"]!):\(same)"
        }
    }

    @Test func theLocalDeploymentShowsShadowingCollisionsAndAnInvalidURI() throws {
        let (dir, workspace) = try demo()
        defer { dir.remove() }
        let result = try StrataProcess.run(["list", "--workspace", workspace, "--json"])
        #expect(result.status == 0)
        let all = try entries(result)

        let postgres = try entry(all, "connection", "my_postgres")
        #expect(postgres["winner"] as? String == "backend")
        #expect(tiers(postgres) == ["backend:present:same", "env:present:differs", "metastore:present:differs"])
        let connection = try #require(postgres["connection"] as? [String: Any])
        #expect(connection["host"] as? String == "db.internal")
        #expect(connection["port"] as? Int == 5432)
        #expect(connection["password"] as? String == "***")
        #expect(postgres["masked"] as? Bool == true)

        let region = try entry(all, "variable", "region")
        #expect(tiers(region) == ["backend:present:same", "env:present:same", "metastore:present:differs"])

        let broken = try entry(all, "connection", "broken_api")
        #expect(broken["winner"] as? String == "metastore", "Airflow skips the invalid env URI")
        #expect(tiers(broken)[1] == "env:unreadable:-")

        let empty = try entry(all, "variable", "empty_value")
        #expect(empty["winner"] as? String == "env")
        #expect(empty["value"] as? String == "", "an empty variable is a value, and there is nothing to mask")

        for id in ["my_var", "MY_VAR"] {
            let collided = try entry(all, "variable", id)
            #expect(collided["winner"] as? String == "env")
            #expect((collided["collisions"] as? [String])?.count == 1)
        }
        #expect(try entry(all, "connection", "café_db")["winner"] as? String == "backend")
        #expect(try entry(all, "connection", "数据仓库")["winner"] as? String == "metastore")
        #expect(try entry(all, "connection", "slack_alerts")["winner"] as? String == "env", "JSON-form env connection")
    }

    @Test func maskedOutputNeverContainsASecretAndRevealShowsThem() throws {
        let (dir, workspace) = try demo()
        defer { dir.remove() }
        for arguments in [["list", "--json"], ["list"], ["explain", "my_postgres"], ["compare"], ["lint"],
                          ["compare", "--deployments", "local,staging,prod"]] {
            let result = try StrataProcess.run(arguments + ["--workspace", workspace])
            for secret in Self.secrets {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret),
                        "\(arguments.joined(separator: " ")) printed a demo secret")
            }
        }
        let revealed = try StrataProcess.run(["explain", "my_postgres", "--reveal", "--workspace", workspace])
        #expect(revealed.stdout.contains("backend-password"))
    }

    @Test func controlCharactersInValuesArePrintedInert() throws {
        let (dir, workspace) = try demo()
        defer { dir.remove() }
        let result = try StrataProcess.run(["list", "--reveal", "--deployment", "staging", "--workspace", workspace])
        #expect(!result.stdout.unicodeScalars.contains("\u{202E}"))
        #expect(result.stdout.contains("\\u{202e}txt.exe"))
        let json = try StrataProcess.run(["list", "--reveal", "--json", "--deployment", "staging", "--workspace", workspace])
        #expect(!json.stdout.unicodeScalars.contains("\u{202E}"))
        #expect(json.stdout.contains("\\u202e"))
    }

    @Test func explainNamesEveryTierAndFailsForAnUnknownId() throws {
        let (dir, workspace) = try demo()
        defer { dir.remove() }
        let found = try StrataProcess.run(["explain", "region", "--var", "--workspace", workspace])
        #expect(found.status == 0)
        #expect(found.stdout.contains("supplied by backend"))
        #expect(found.stdout.contains("AIRFLOW_VAR_REGION"))
        #expect(found.stdout.contains("shadowed (DIFFERS)"))

        let missing = try StrataProcess.run(["explain", "ghost", "--conn", "--json", "--workspace", workspace])
        #expect(missing.status == 1)
        let entry = try #require(try missing.json() as? [String: Any])
        #expect(entry["winner"] is NSNull)
        #expect(tiers(entry) == ["backend:absent:-", "env:absent:-", "metastore:absent:-"])
    }

    @Test func lintFailsOnTheDemoCollisionAndCompareShowsDeploymentsSideBySide() throws {
        let (dir, workspace) = try demo()
        defer { dir.remove() }
        let lint = try StrataProcess.run(["lint", "--json", "--workspace", workspace])
        #expect(lint.status == 1, "the demo has a case collision, an error")
        let findings = try #require(try lint.json() as? [[String: Any]])
        let rules = Set(findings.compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["case-collision", "unreadable-value", "shadowed-differs", "dead-metastore-row", "secret-in-env-file"]))
        #expect(findings.allSatisfy { !($0["fix"] as? String ?? "").isEmpty })

        let compare = try StrataProcess.run(["compare", "--deployments", "staging,prod", "--json", "--workspace", workspace])
        #expect(compare.status == 0)
        let document = try #require(try compare.json() as? [String: Any])
        let rows = try #require(document["rows"] as? [[String: Any]])
        let region = try #require(rows.first { $0["id"] as? String == "region" })
        let states = (region["cells"] as? [[String: Any]])?.compactMap { $0["state"] as? String }
        #expect(states == ["same", "same"])
        let postgres = try #require(rows.first { $0["id"] as? String == "my_postgres" })
        let cells = try #require(postgres["cells"] as? [[String: Any]])
        #expect(cells.map { $0["state"] as? String } == ["same", "differs"])
        #expect(Set(cells[1]["differing_fields"] as? [String] ?? []) == ["host", "password"], "postgresql:// normalises to conn_type postgres")
    }

    @Test func deploymentsAndBackendDescribeTheWorkspace() throws {
        let (dir, workspace) = try demo()
        defer { dir.remove() }
        let deployments = try StrataProcess.run(["deployments", "--json", "--workspace", workspace])
        let list = try #require(try deployments.json() as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["local", "staging", "prod"])
        #expect(list.map { $0["airflow"] as? Int } == [3, 3, 2])
        #expect(list.map { $0["read_only"] as? Bool } == [false, false, true])

        let backend = try StrataProcess.run(["backend", "--id", "my_postgres", "--workspace", workspace])
        #expect(backend.status == 0)
        #expect(backend.stdout.contains("LocalFilesystemBackend"))
        #expect(backend.stdout.contains("conn my_postgres → my_postgres"))
    }
}
