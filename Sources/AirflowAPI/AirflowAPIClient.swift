import Foundation
import Engine
import PythonCompat
import RemoteSupport

/// Talks to one deployment's Airflow REST API: signs every request, retries what is retryable
/// within the tier's deadline, and turns statuses into failures that say what to do.
public struct AirflowAPIClient: Sendable {
    public let settings: AirflowAPISettings
    public let version: AirflowAPIVersion
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let clock: any WallClock
    /// How long one request may take (the deployment's `timeouts.request`).
    private(set) var timeout: Duration
    let credentials: AirflowAPICredentials

    init(settings: AirflowAPISettings, version: AirflowAPIVersion, transport: any HTTPTransport,
         retry: RetryPolicy = .standard, clock: any WallClock = SystemClock(), timeout: Duration = .seconds(15),
         variable: @escaping @Sendable (String) -> String?, google: AirflowAPICredentials.GoogleTokenSource? = nil) {
        self.settings = settings
        self.version = version
        self.transport = transport
        self.retry = retry
        self.clock = clock
        self.timeout = timeout
        self.credentials = AirflowAPICredentials(signIn: settings.signIn, version: version, variable: variable, google: google)
    }

    /// This client with another per-request timeout (a connection test may take as long as the
    /// hook's own connection attempt).
    public func withRequestTimeout(_ timeout: Duration) -> AirflowAPIClient {
        var copy = self
        copy.timeout = timeout
        return copy
    }

    /// `host:port` for messages.
    public var host: String { settings.hostText }

    /// The URL of `path` under the API prefix (`/api/v2` + path), with `query`.
    func url(_ path: String, query: [(String, String)] = [], prefix: String? = nil) -> URL {
        var text = settings.baseURL.absoluteString + (prefix ?? version.prefix) + path
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        }
        // Every part was escaped above and the base URL was checked when the workspace was read.
        return URL(string: text) ?? settings.baseURL
    }

    /// Sends one request with the deployment's sign-in and returns the reply whatever its
    /// status; a 401 renews a JWT once. Transport failures become `.unavailable` failures.
    func send(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
              prefix: String? = nil) async throws -> HTTPResponse {
        var response = try await signedSend(method, url(path, query: query, prefix: prefix), body: body, refresh: false)
        if response.status == 401, await credentials.canRefresh {
            response = try await signedSend(method, url(path, query: query, prefix: prefix), body: body, refresh: true)
        }
        return response
    }

    private func signedSend(_ method: String, _ url: URL, body: JSONValue?, refresh: Bool) async throws -> HTTPResponse {
        let authorization = try await credentials.authorization(refresh: refresh) { user, password in
            try await exchange(user: user, password: password)
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let authorization { headers.append(("Authorization", authorization)) }
        var bytes: [UInt8] = []
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(body.pythonDumps().utf8)
        }
        return try await transmit(HTTPRequest(method: method, url: url, headers: headers, body: bytes, timeout: timeout))
    }

    /// Airflow 3's `POST /auth/token`: a user and password for a JWT.
    private func exchange(user: String, password: String) async throws -> String {
        var body = JSONObject()
        body["username"] = .string(user)
        body["password"] = .string(password)
        let request = HTTPRequest(method: "POST", url: url("/auth/token", prefix: ""),
                                  headers: [("Accept", "application/json"), ("Content-Type", "application/json")],
                                  body: Array(JSONValue.object(body).pythonDumps().utf8), timeout: timeout)
        let response = try await transmit(request)
        switch response.status {
        case 200, 201:
            guard case .object(let reply)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)),
                  let token = reply["access_token"]?.stringValue, !token.isEmpty,
                  !token.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw AirflowAPIFailure(.malformed, "POST /auth/token at \(host) \(NonJSONReply.summary(response)) without an access_token; "
                                        + "is api.url the Airflow base URL?")
            }
            return token
        case 401, 403:
            throw AirflowAPIFailure(.unauthorized, "the Airflow API at \(host) refused \(credentials.description) at /auth/token "
                                    + "(HTTP \(response.status)); check the user name and the password")
        case 404, 405:
            throw AirflowAPIFailure(.notFound, "\(host) has no Airflow 3 /auth/token (HTTP \(response.status)): on Airflow 2 set "
                                    + "`airflow: 2` (basic auth); with another auth manager, name a token with api.token_env")
        default:
            throw failure(response, doing: "signing in at /auth/token")
        }
    }

    /// One request through the retry loop, transport failures in Airflow API terms.
    private func transmit(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await retry.send(through: transport, clock: clock) { request }.response
        } catch let failure as TransportFailure {
            switch failure.kind {
            case .tls:
                throw AirflowAPIFailure(.unavailable, "cannot talk to the Airflow API at \(host): \(failure). Name the PEM bundle of a "
                                        + "private CA in SSL_CERT_FILE or REQUESTS_CA_BUNDLE in the deployment's environment.")
            case .badReply:
                throw AirflowAPIFailure(.unavailable, "cannot use the Airflow API's reply from \(host): \(failure).")
            case .timeout, .unreachable:
                throw AirflowAPIFailure(.unavailable, "could not reach the Airflow API at \(host): \(failure). Check api.url and the network.")
            }
        } catch let failure as AirflowAPIFailure {
            throw failure
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let text = String(describing: error)
            throw AirflowAPIFailure(.unavailable, "could not reach the Airflow API at \(host): \(InertText.make(String(text.prefix(300)))).")
        }
    }

    /// The failure a non-success reply means; `doing` says what Strata was doing ("listing connections").
    func failure(_ response: HTTPResponse, doing: String) -> AirflowAPIFailure {
        let detail = Self.detail(response).map { ": \($0)" } ?? ""
        switch response.status {
        case 401:
            return AirflowAPIFailure(.unauthorized, "the Airflow API at \(host) refused \(credentials.description) while \(doing) "
                                     + "(HTTP 401): check that it is current and meant for this deployment")
        case 403 where detail.contains("Invalid JWT"):
            // Airflow 3 answers a malformed or forged bearer token with 403, not 401.
            return AirflowAPIFailure(.unauthorized, "the Airflow API at \(host) refused \(credentials.description) while \(doing) "
                                     + "(HTTP 403: not a token it issued): check that it is current and meant for this deployment")
        case 403:
            return AirflowAPIFailure(.forbidden, "\(credentials.description) may not do this at \(host): \(doing) answered HTTP 403"
                                     + "\(detail); the user or token needs Airflow's permission for it (a Viewer may read but not edit)")
        case 404:
            return AirflowAPIFailure(.notFound, "\(doing) at \(host) answered HTTP 404\(detail)")
        case 409:
            return AirflowAPIFailure(.conflict, "\(doing) at \(host) answered HTTP 409 (it already exists)\(detail)")
        case 400, 422:
            return AirflowAPIFailure(.invalid, "Airflow refused \(doing) at \(host) (HTTP \(response.status))\(detail)")
        case 300..<400:
            return AirflowAPIFailure(.unavailable, "\(doing) at \(host) answered with a redirect (HTTP \(response.status)); Strata does "
                                     + "not follow redirects from a source of secrets: set api.url to the URL the API answers at")
        default:
            if (200..<300).contains(response.status) {
                return AirflowAPIFailure(.malformed, "\(doing) at \(host) \(NonJSONReply.explain(response))")
            }
            return AirflowAPIFailure(.unavailable, "\(doing) at \(host) \(NonJSONReply.summary(response))\(detail)"
                                     + (response.status >= 500 ? "; the Airflow API server failed, try again or check its logs" : ""))
        }
    }

    /// A 404 on a collection: says whether the server speaks the other API version.
    func notFoundFailure(_ response: HTTPResponse, collection: String) async -> AirflowAPIFailure {
        if let other = try? await send("GET", "/version", prefix: version.other.prefix), other.status == 200,
           case .object(let reply)? = try? JSONValue.parsePython(String(decoding: other.body, as: UTF8.self)),
           let found = reply["version"]?.stringValue {
            let shown = InertText.make(String(found.prefix(40)))
            return AirflowAPIFailure(.notFound, "the server at \(host) is Airflow \(shown): it serves \(version.other.prefix), not "
                                     + "\(version.prefix); set `airflow: \(version.other.airflowMajor)` for this deployment")
        }
        return AirflowAPIFailure(.notFound, "\(host) has no \(version.prefix)/\(collection) (HTTP \(response.status)): check api.url "
                                 + "(the base URL the Airflow UI is served from) and `airflow:` (Airflow 3 serves /api/v2, Airflow 2 /api/v1)")
    }

    /// The reply's `detail` when it is a short string (FastAPI and connexion both answer
    /// `{"detail": …}`); a list of validation errors is left out, as it echoes the request.
    static func detail(_ response: HTTPResponse) -> String? {
        guard response.status != 422, response.body.count <= 65_536,
              case .object(let reply)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)),
              let text = reply["detail"]?.stringValue, !text.isEmpty, text.count <= 300 else { return nil }
        return InertText.make(text)
    }

    /// Percent-escapes a query or path part (only unreserved characters stay).
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
