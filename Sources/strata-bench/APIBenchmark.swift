import AirflowAPI
import Foundation
import Engine
import PythonCompat
import RemoteSupport

/// Loads the metastore tier of a real Airflow 3 through its REST API (`/api/v2`): 2,000
/// connections and 2,000 variables (seeded through the API when missing; not timed), printing
/// the time, the requests and the paging floor (one request per page of the server's largest
/// page, for each collection). Goal: under 3 s on this machine.
/// Reads STRATA_TEST_AIRFLOW3_API_URL / _USER / _PASSWORD from scripts/services/airflow-api.sh.
func runAPIBenchmark() async throws {
    let env = ProcessInfo.processInfo.environment
    guard let url = env["STRATA_TEST_AIRFLOW3_API_URL"], let user = env["STRATA_TEST_AIRFLOW3_API_USER"],
          let password = env["STRATA_TEST_AIRFLOW3_API_PASSWORD"] else {
        throw BenchError("set STRATA_TEST_AIRFLOW3_API_URL, _USER and _PASSWORD (scripts/services/airflow-api.sh start)")
    }
    let count = 2000
    let transport = try HTTPClientTransport.shared()
    let token = try await apiToken(url: url, user: user, password: password, transport: transport)
    @Sendable func post(_ collection: String, _ body: JSONObject) async throws {
        let response = try await transport.send(HTTPRequest(
            method: "POST", url: URL(string: "\(url)/api/v2/\(collection)")!,
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
            body: Array(JSONValue.object(body).pythonDumps().utf8), timeout: .seconds(60)))
        guard response.status == 201 || response.status == 409 else {
            throw BenchError("seeding \(collection) answered HTTP \(response.status)")
        }
    }
    @Sendable func existing(_ collection: String, _ pattern: String) async throws -> Int {
        let response = try await transport.send(HTTPRequest(
            method: "GET", url: URL(string: "\(url)/api/v2/\(collection)?limit=1&\(pattern)=bench_api_")!,
            headers: [("Authorization", "Bearer \(token)")], timeout: .seconds(60)))
        guard case .object(let reply)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)),
              case .integer(let total)? = reply["total_entries"] else { throw BenchError("counting \(collection) failed") }
        return Int(total) ?? 0
    }
    let seeding = ContinuousClock.now
    // One at a time: Airflow on SQLite answers concurrent writes with "database is locked".
    let haveConnections = try await existing("connections", "connection_id_pattern")
    let haveVariables = try await existing("variables", "variable_key_pattern")
    if haveConnections < count || haveVariables < count {
        for index in 0..<count {
            let name = String(format: "bench_api_%04d", index)
            try await post("connections", JSONObject([("connection_id", .string(name)), ("conn_type", .string("postgres")),
                                                      ("host", .string("db\(index).example")), ("login", .string("etl")),
                                                      ("password", .string("pw-\(index)")), ("port", .integer("5432")),
                                                      ("extra", .string(#"{"sslmode": "require"}"#))]))
            try await post("variables", JSONObject([("key", .string(name)), ("value", .string("value-\(index)"))]))
        }
    }
    print("api: seeded (or found) \(count) connections and \(count) variables in \(seconds(ContinuousClock.now - seeding)) s (not timed)")

    var environment = DeploymentEnvironment()
    environment.set("BENCH_API_PASSWORD", password, origin: .inline)
    var deployment = Deployment(name: "api-bench", airflowVersion: .v3, environment: environment)
    deployment.api = AirflowAPISettings(baseURL: URL(string: url)!, signIn: .password(username: user, variable: "BENCH_API_PASSWORD"))
    for run in 1...3 {
        let ledger = RequestLedger()
        let provider = AirflowAPITierProvider(transport: { _ in CountingTransport(transport, countingInto: ledger) },
                                              processEnvironment: { _ in nil })
        let tier = try provider.makeTier(for: deployment)
        let started = ContinuousClock.now
        let readout = try await tier.read()
        let duration = ContinuousClock.now - started
        let elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let connections = readout.records.filter { $0.kind == .connection }.count
        let variables = readout.records.count - connections
        let pages = ledger.requests.filter { $0.url.path.hasSuffix("/connections") || $0.url.path.hasSuffix("/variables") }.count
        let floor = (connections + 99) / 100 + (variables + 99) / 100
        let others = ledger.requests.filter { !($0.url.path.hasSuffix("/connections") || $0.url.path.hasSuffix("/variables")) }
            .map { "\($0.method) \($0.url.path)" }
        print(String(format: "api: run %d read %d connections + %d variables in %.3f s (goal < 3 s: %@) · %d requests: %d pages "
                     + "(paging floor at 100 per page: %d), other: %@", run, connections, variables, elapsed,
                     elapsed < 3 ? "met" : "MISSED", ledger.count, pages, floor, others.joined(separator: ", ")))
        guard connections >= count, variables >= count else {
            throw BenchError("expected at least \(count) of each, read \(connections) connections and \(variables) variables")
        }
    }
}

private func apiToken(url: String, user: String, password: String, transport: any HTTPTransport) async throws -> String {
    let body = JSONValue.object(JSONObject([("username", .string(user)), ("password", .string(password))])).pythonDumps()
    let response = try await transport.send(HTTPRequest(method: "POST", url: URL(string: "\(url)/auth/token")!,
                                                        headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
    guard case .object(let reply)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)),
          let token = reply["access_token"]?.stringValue else {
        throw BenchError("POST /auth/token answered HTTP \(response.status)")
    }
    return token
}

private func seconds(_ duration: Duration) -> String {
    String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
}
