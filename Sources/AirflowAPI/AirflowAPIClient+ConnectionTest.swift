import Engine
import PythonCompat
import RemoteSupport

extension AirflowAPIClient {
    /// Asks the deployment's Airflow to test `connection` under `id` (`POST …/connections/test`),
    /// so the test runs from the deployment's own network. Nothing is stored. Airflow's answer
    /// may quote the connection (a driver's error with the URI in it): its secrets are masked.
    public func testConnection(_ id: String, _ connection: Connection) async throws -> ConnectionTestOutcome {
        var body = JSONObject()
        body["connection_id"] = .string(id)
        body["conn_type"] = connection.connType.map { .string($0) } ?? .null
        for (field, value) in [("host", connection.host), ("login", connection.login), ("schema", connection.schema),
                               ("password", connection.password), ("extra", connection.extra), ("description", connection.description)] {
            if let value { body[field] = .string(value) }
        }
        if let port = connection.port { body["port"] = .integer(String(port)) }
        let response = try await send("POST", "/connections/test", body: .object(body))
        let text = String(decoding: response.body.prefix(65_536), as: UTF8.self)
        let reply = (try? JSONValue.parsePython(text))?.objectValue
        let material = Self.secretMaterial(of: connection)
        switch response.status {
        case 200:
            guard let reply, case .bool(let succeeded)? = reply["status"] else {
                throw AirflowAPIFailure(.malformed, "testing connection '\(InertText.make(id))' at \(host) \(NonJSONReply.explain(response))")
            }
            let message = reply["message"]?.stringValue ?? ""
            return .tested(succeeded: succeeded, message: Self.shown(message, material: material))
        case 403 where text.contains("disabled"):
            // Airflow 3 answers JSON, Airflow 2 plain text; both say "Testing connections is disabled".
            return .disabled(message: "testing connections is disabled on the Airflow at \(host) ([core] test_connection is "
                             + "Disabled, Airflow's default); its administrator can enable it with AIRFLOW__CORE__TEST_CONNECTION=Enabled")
        default:
            throw failure(response, doing: "testing connection '\(InertText.make(id))'")
        }
    }

    /// Every piece of the connection a message could quote: the password, the extra and each
    /// of its strings, the login and the URI's parts.
    static func secretMaterial(of connection: Connection) -> [String] {
        var pieces = [connection.password, connection.extra, connection.login].compactMap { $0 }.filter { !$0.isEmpty }
        if let extra = connection.extra, let document = try? JSONValue.parsePython(extra) {
            pieces += strings(in: document)
        }
        return pieces.flatMap { SecretRedaction.secretMaterial(of: $0) }
    }

    private static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .object(let object): return object.flatMap { strings(in: $0.value) }
        case .array(let items): return items.flatMap(strings)
        default: return []
        }
    }

    /// Airflow's answer as it may be shown: secrets masked, at most 2,000 characters, inert.
    static func shown(_ message: String, material: [String]) -> String {
        let masked = SecretRedaction.redact(String(message.prefix(2_000)), material: material)
        return InertText.make(masked)
    }
}

/// Tests connections through each deployment's `api:` block.
public struct AirflowAPIConnectionTester: ConnectionTesting {
    let provider: AirflowAPITierProvider

    public init(provider: AirflowAPITierProvider = AirflowAPITierProvider()) {
        self.provider = provider
    }

    public func test(_ id: String, _ connection: Connection, in deployment: Deployment) async -> ConnectionTestOutcome {
        guard deployment.api != nil else {
            return .notAsked(reason: "deployment '\(InertText.make(deployment.name))' has no `api:` block: Strata asks a "
                             + "deployment's Airflow to test a connection through its REST API")
        }
        do {
            let client = try provider.makeClient(for: deployment).withRequestTimeout(deployment.timeouts.tier)
            return try await client.testConnection(id, connection)
        } catch let failure as AirflowAPIFailure {
            return .notAsked(reason: failure.message)
        } catch let error as TierError {
            return .notAsked(reason: error.message)
        } catch {
            return .notAsked(reason: "testing failed (\(type(of: error)))")
        }
    }
}
