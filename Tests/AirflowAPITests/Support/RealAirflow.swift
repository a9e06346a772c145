import Foundation
import Engine
import PythonCompat
import RemoteSupport
@testable import AirflowAPI

/// A real Airflow REST API server started by scripts/services/airflow-api.sh: Airflow 3.3.2's
/// `api-server` (API v2, JWTs from /auth/token) or Airflow 2.11.0's `webserver` (API v1, basic
/// auth), each on SQLite. Tests seed it through its own API as the admin user and check what it
/// stored with its own `airflow` CLI.
struct RealAirflow: Sendable {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    let version: AirflowVersion
    let url: String
    let user: String
    let password: String
    let viewer: String
    let viewerPassword: String
    let binary: String
    let environmentFile: String

    static func airflow3() throws -> RealAirflow { try load(prefix: "STRATA_TEST_AIRFLOW3", version: .v3) }
    static func airflow2() throws -> RealAirflow { try load(prefix: "STRATA_TEST_AIRFLOW2", version: .v2) }

    private static func load(prefix: String, version: AirflowVersion) throws -> RealAirflow {
        let names = ["_API_URL", "_API_USER", "_API_PASSWORD", "_API_VIEWER", "_API_VIEWER_PASSWORD", "_BIN", "_ENV"].map { prefix + $0 }
        let env = ProcessInfo.processInfo.environment
        let values = names.map { env[$0] ?? "" }
        guard !values.contains(where: \.isEmpty) else {
            throw Missing(description: "Airflow's API server is not running: \(names.joined(separator: ", ")) must be set. Run "
                          + "scripts/test, which starts it, or `scripts/services/airflow-api.sh start && source /tmp/strata-services.env`.")
        }
        return RealAirflow(version: version, url: values[0], user: values[1], password: values[2], viewer: values[3],
                           viewerPassword: values[4], binary: values[5], environmentFile: values[6])
    }

    static func unique(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    // MARK: Strata's side

    /// A deployment whose metastore is this server's API, signed in as `user` with the password
    /// in STRATA_TEST_API_PASSWORD (set in the deployment's own environment).
    func deployment(user: String? = nil, password: String? = nil, airflow: AirflowVersion? = nil,
                    signIn: AirflowAPISettings.SignIn? = nil, extraEnvironment: [String: String] = [:]) -> Deployment {
        var environment = DeploymentEnvironment()
        environment.set("STRATA_TEST_API_PASSWORD", password ?? self.password, origin: .inline)
        for (name, value) in extraEnvironment { environment.set(name, value, origin: .inline) }
        var deployment = Deployment(name: "api-\(version.rawValue)", airflowVersion: airflow ?? version, environment: environment)
        deployment.api = AirflowAPISettings(baseURL: URL(string: url)!,
                                            signIn: signIn ?? .password(username: user ?? self.user, variable: "STRATA_TEST_API_PASSWORD"))
        deployment.timeouts = RemoteTimeouts(connect: .seconds(3), request: .seconds(10), tier: .seconds(30))
        return deployment
    }

    /// The metastore tier Strata makes for `deployment`, with no retries (a failure is the answer).
    func tier(_ deployment: Deployment? = nil) throws -> AirflowAPITier {
        try AirflowAPITierProvider(retry: .none, processEnvironment: { _ in nil }).makeTier(for: deployment ?? self.deployment())
    }

    // MARK: The server's side

    /// Calls the API as the admin user (basic auth on Airflow 2, a JWT on Airflow 3); returns the
    /// status and the JSON reply.
    @discardableResult
    func admin(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> (status: Int, json: JSONValue?) {
        let transport = try HTTPClientTransport.shared()
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if version == .v2 {
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        } else {
            headers.append(("Authorization", "Bearer " + (try await token())))
        }
        var bytes: [UInt8] = []
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(body.pythonDumps().utf8)
        }
        let prefix = version == .v3 ? "/api/v2" : "/api/v1"
        var attempt = 0
        while true {
            let response = try await transport.send(HTTPRequest(method: method, url: URL(string: url + prefix + path)!, headers: headers,
                                                                body: bytes, timeout: .seconds(20)))
            // Airflow on SQLite answers 500 ("database is locked") while another suite writes: wait and try again.
            attempt += 1
            if response.status >= 500 && attempt < 8 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
                continue
            }
            return (response.status, try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)))
        }
    }

    /// A JWT for the admin user (Airflow 3).
    func jwt() async throws -> String { try await token() }

    private func token() async throws -> String {
        let transport = try HTTPClientTransport.shared()
        let body = "{\"username\": \"\(user)\", \"password\": \"\(password)\"}"
        let response = try await transport.send(HTTPRequest(method: "POST", url: URL(string: url + "/auth/token")!,
                                                            headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
        guard case .object(let reply)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)),
              let token = reply["access_token"]?.stringValue else {
            throw Missing(description: "POST /auth/token answered \(response.status)")
        }
        return token
    }

    /// Creates a connection as the admin user.
    func createConnection(_ id: String, _ fields: [String: JSONValue]) async throws {
        var body = JSONObject()
        body["connection_id"] = .string(id)
        for key in fields.keys.sorted() { body[key] = fields[key] }
        let (status, _) = try await admin("POST", "/connections", .object(body))
        guard status == 200 || status == 201 else { throw Missing(description: "creating connection \(id) answered \(status)") }
    }

    /// Creates a variable as the admin user.
    func createVariable(_ key: String, _ value: String, description: String? = nil) async throws {
        var body = JSONObject()
        body["key"] = .string(key)
        body["value"] = .string(value)
        if let description { body["description"] = .string(description) }
        let (status, _) = try await admin("POST", "/variables", .object(body))
        guard status == 200 || status == 201 else { throw Missing(description: "creating variable \(key) answered \(status)") }
    }

    /// Runs the server's own `airflow` CLI against its database; returns stdout. The process is
    /// waited for on a thread of its own: blocking one of the few cooperative threads would
    /// starve the suites running beside this one (and their deadlines).
    func cli(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try self.cliNow(arguments) })
            }
        }
    }

    private func cliNow(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        process.arguments = ["-c", "set -a; source '\(environmentFile)'; exec '\(binary)' \(quoted) 2>/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The connection as Airflow itself reads it from its database (`airflow connections get -o json`).
    func storedConnection(_ id: String) async throws -> JSONObject? {
        let text = try await cli(["connections", "get", id, "-o", "json"])
        guard let start = text.firstIndex(of: "["),
              case .array(let rows)? = try? JSONValue.parsePython(String(text[start...])) else { return nil }
        return rows.first?.objectValue
    }

    /// The variable's stored text as Airflow reads it (`airflow variables get`).
    func storedVariable(_ key: String) async throws -> String {
        var text = try await cli(["variables", "get", key])
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
