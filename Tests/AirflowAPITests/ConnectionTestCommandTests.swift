import Foundation
import Testing
import TestSupport

/// `strata test conn` and `strata list --json` against real Airflow API servers, run as a
/// user runs them. Airflow 3.3.2's testing server has `[core] test_connection = Enabled`; the
/// others keep Airflow's default (Disabled).
@Suite("strata test conn and --json through Airflow's REST API", .serialized, .oneAtATimeOnTheAirflowServers)
struct ConnectionTestCommandTests {
    static let canary = "pw-s3cr3t-canary"

    /// A workspace with one deployment reached at `url` (signed in as admin), whose
    /// environment defines `connections` (AIRFLOW_CONN_<ID> → URI).
    static func workspace(url: String, airflow: Int = 3, connections: [String: String] = [:]) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("strata-api-cli")
        var env = "      STRATA_TEST_API_PASSWORD: admin\n"
        for (id, uri) in connections.sorted(by: { $0.key < $1.key }) {
            env += "      AIRFLOW_CONN_\(id.uppercased()): '\(uri)'\n"
        }
        try dir.write("strata.yaml", """
        deployments:
          - name: managed
            airflow: \(airflow)
            api:
              url: \(url)
              username: admin
              password_env: STRATA_TEST_API_PASSWORD
            env:
        \(env)
        """)
        return dir
    }

    /// A local HTTP server answering 200 to everything: what Airflow's HTTP hook test calls.
    static func okServer() throws -> (Process, Int) {
        let socket = try FreePort.pick()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def answer(self):
                self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
            do_GET = do_POST = do_HEAD = answer
            def log_message(self, *a): pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """, String(socket)]
        // Its own output, not the test runner's pipes: a child holding those keeps the run open.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<50 where !FreePort.isListening(socket) { Thread.sleep(forTimeInterval: 0.1) }
        return (process, socket)
    }

    static func noCanary(_ result: StrataProcess.Result) -> Bool {
        !result.stdout.contains(canary) && !result.stderr.contains(canary)
    }

    @Test func airflowTestsTheResolvedValueFromItsOwnNetwork() throws {
        let testing = try #require(ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW3_TESTING_API_URL"])
        let (server, port) = try Self.okServer()
        // SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let dir = try Self.workspace(url: testing, connections: ["ping": "http://u:\(Self.canary)@127.0.0.1:\(port)",
                                                                   "down": "http://u:\(Self.canary)@127.0.0.1:9"])
        defer { dir.remove() }
        let ok = try StrataProcess.run(["test", "conn", "ping"], in: dir.url)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("tested connection 'ping' (value from env"))
        #expect(ok.stdout.contains(": OK"))
        let failed = try StrataProcess.run(["test", "conn", "down", "--json"], in: dir.url)
        #expect(failed.status == 1)
        let json = try failed.json() as? [String: Any]
        #expect(json?["outcome"] as? String == "failed")
        #expect((json?["message"] as? String)?.contains("Connection refused") == true)
        #expect(Self.noCanary(ok) && Self.noCanary(failed))
    }

    @Test(arguments: [3, 2])
    func disabledTestingIsReportedWithTheSettingThatEnablesIt(major: Int) throws {
        let url = try #require(ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW\(major)_API_URL"])
        let dir = try Self.workspace(url: url, airflow: major, connections: ["ping": "http://u:\(Self.canary)@127.0.0.1:9"])
        defer { dir.remove() }
        let result = try StrataProcess.run(["test", "conn", "ping"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("testing connections is disabled"), "\(result.stderr)")
        #expect(result.stderr.contains("AIRFLOW__CORE__TEST_CONNECTION=Enabled"))
        #expect(Self.noCanary(result))
    }

    @Test func aValueWithAHiddenFieldIsNeverSentAndListJSONMarksIt() async throws {
        let airflow = try RealAirflow.airflow3()
        let id = RealAirflow.unique("hidden")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "host": .string("db.example"),
                                                "password": .string(Self.canary)])
        let testing = try #require(ProcessInfo.processInfo.environment["STRATA_TEST_AIRFLOW3_TESTING_API_URL"])
        let dir = try Self.workspace(url: testing)
        defer { dir.remove() }
        let refused = try await StrataProcess.runAwaiting(["test", "conn", id], in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("hides password"), "\(refused.stderr)")

        let listed = try await StrataProcess.runAwaiting(["explain", id, "--conn", "--json", "--reveal"], in: dir.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        let entry = try #require(try listed.json() as? [String: Any])
        #expect(entry["hidden"] as? [String] == ["password"])
        let connection = try #require(entry["connection"] as? [String: Any])
        #expect(connection["password"] is NSNull, "a hidden field is null, never the mask as a value")
        #expect(connection["host"] as? String == "db.example")
        let tiers = try #require(entry["tiers"] as? [[String: Any]])
        #expect(tiers.first { $0["tier"] as? String == "metastore" }?["hidden"] as? [String] == ["password"])
        #expect(Self.noCanary(refused) && Self.noCanary(listed))
    }
}
