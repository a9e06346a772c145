import Foundation
import Engine

/// The Secret Manager v1 REST calls the GCP tier makes, authorised with the tier's tokens.
struct SecretManagerClient: Sendable {
    /// Base URL: https://secretmanager.googleapis.com, or STRATA_GCP_SECRET_MANAGER_ENDPOINT.
    let endpoint: URL
    let tokens: GoogleTokenProvider
    let requester: CloudRequester
    /// Sent as x-goog-user-project for user credentials with a quota project.
    let quotaProject: String?

    struct SecretSummary: Sendable {
        var secretID: String
        var createTime: String?
    }

    struct AccessedVersion: Sendable {
        var data: [UInt8]
        /// The version's resource name; its last segment is the version number.
        var versionName: String
        var versionNumber: String { versionName.split(separator: "/").last.map(String.init) ?? versionName }
    }

    /// Every secret of `project` whose name contains `namePrefix` (Secret Manager's `name:` filter),
    /// following every page.
    func listSecrets(project: String, namePrefix: String?) async throws -> (secrets: [SecretSummary], pages: Int) {
        var secrets: [SecretSummary] = []
        var pageToken: String?
        var pages = 0
        repeat {
            var query = [("pageSize", "25000")]
            if let namePrefix, !namePrefix.isEmpty { query.append(("filter", "name:\(namePrefix)")) }
            if let pageToken { query.append(("pageToken", pageToken)) }
            let reply = try await call("GET", "projects/\(project)/secrets", query: query, what: "listing secrets of project \(project)")
            pages += 1
            for item in reply.children("secrets") ?? [] {
                guard let name = item.string("name"), let id = name.split(separator: "/").last else { continue }
                secrets.append(SecretSummary(secretID: String(id), createTime: item.string("createTime")))
            }
            pageToken = reply.string("nextPageToken").flatMap { $0.isEmpty ? nil : $0 }
        } while pageToken != nil
        return (secrets, pages)
    }

    /// The payload of the `latest` version, checked against its CRC32C when the service gives one.
    func accessLatest(project: String, secretID: String) async throws -> AccessedVersion {
        let reply = try await call("GET", "projects/\(project)/secrets/\(secretID)/versions/latest:access", query: [],
                                   what: "reading secret \(secretID)")
        guard let payload = reply.child("payload") else {
            throw CloudFailure(.malformed, "Secret Manager answered the read of \(secretID) without a payload.")
        }
        let encoded = payload.string("data") ?? ""
        guard let data = Data(base64Encoded: encoded) else {
            throw CloudFailure(.malformed, "Secret Manager answered the read of \(secretID) with a payload that is not base64.")
        }
        if let expected = Self.expectedChecksum(payload), UInt64(CRC32C.checksum(data)) != expected {
            throw CloudFailure(.malformed, "the payload of \(secretID) does not match its CRC32C checksum (corrupted in transit); reload to try again.")
        }
        return AccessedVersion(data: Array(data), versionName: reply.string("name") ?? "latest")
    }

    /// The payload's `dataCrc32c` (a decimal string, or a number from a lenient server); `nil`
    /// when absent or not a checksum at all (negative), so that nothing is compared.
    static func expectedChecksum(_ payload: JSONReply) -> UInt64? {
        payload.string("dataCrc32c").flatMap(UInt64.init) ?? payload.int("dataCrc32c").flatMap(UInt64.init(exactly:))
    }

    /// Creates an empty secret with automatic replication. A secret that exists already is fine.
    func createSecret(project: String, secretID: String) async throws {
        do {
            _ = try await call("POST", "projects/\(project)/secrets", query: [("secretId", secretID)],
                               body: jsonBody(["replication": ["automatic": [String: Any]()]]), what: "creating secret \(secretID)")
        } catch let failure as CloudFailure where failure.kind == .alreadyExists {
            return
        }
    }

    /// Adds a version holding `data` (with its CRC32C, so the service verifies it); returns its name.
    func addVersion(project: String, secretID: String, data: [UInt8]) async throws -> String {
        let payload: [String: Any] = ["data": Data(data).base64EncodedString(), "dataCrc32c": String(CRC32C.checksum(data))]
        let reply = try await call("POST", "projects/\(project)/secrets/\(secretID):addVersion", query: [],
                                   body: jsonBody(["payload": payload]), what: "adding a version to \(secretID)")
        return reply.string("name") ?? ""
    }

    /// One authorised call, renewing the token once on a 401. A reply with no body is an
    /// error unless `allowsEmptyReply` (deletes answer with nothing).
    func call(_ method: String, _ path: String, query: [(String, String)], body: [UInt8] = [],
              what: String, allowsEmptyReply: Bool = false) async throws -> JSONReply {
        let url = try makeURL(path: path, query: query)
        var refreshed = false
        while true {
            let token = try await tokens.token()
            var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(token.value)"), ("Accept", "application/json")]
            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
            if let quotaProject { headers.append(("x-goog-user-project", quotaProject)) }
            let response = try await requester.send(HTTPRequest(method: method, url: url, headers: headers, body: body))
            if response.isSuccess {
                if allowsEmptyReply && response.body.isEmpty { return JSONReply([:]) }
                return try JSONReply(response: response, what: "Secret Manager (\(what))")
            }
            if response.status == 401, !refreshed {
                // A token the service no longer accepts (revoked, or its clock differs): fetch a fresh one once.
                await tokens.invalidate()
                refreshed = true
                continue
            }
            throw GoogleAPIError.failure(response, what: what, principal: tokens.source.summary)
        }
    }

    private func makeURL(path: String, query: [(String, String)]) throws -> URL {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var text = base + "/v1/" + path
        if !query.isEmpty { text += "?" + query.map { "\($0.0)=\(FormEncoding.escape($0.1))" }.joined(separator: "&") }
        guard let url = URL(string: text) else {
            throw CloudFailure(.configuration, "cannot build a Secret Manager URL from endpoint \(endpoint.absoluteString).")
        }
        return url
    }
}

/// Google's JSON error body (`{"error": {"code", "message", "status"}}`) as a `CloudFailure`.
enum GoogleAPIError {
    static func failure(_ response: HTTPResponse, what: String, principal: String) -> CloudFailure {
        let error = (try? JSONReply(response: response, what: "Secret Manager"))?.child("error")
        let status = error?.string("status") ?? "HTTP \(response.status)"
        let message = error?.string("message").map(GoogleTokenProvider.clip) ?? ""
        let said = message.isEmpty ? status : "\(status): \(message)"
        switch (response.status, status) {
        case (404, _), (_, "NOT_FOUND"):
            return CloudFailure(.notFound, "\(what): not found (\(said)).")
        case (409, _), (_, "ALREADY_EXISTS"):
            return CloudFailure(.alreadyExists, "\(what): already exists (\(said)).")
        case (403, _), (_, "PERMISSION_DENIED"):
            return CloudFailure(.permissionDenied, "\(what): permission denied for \(principal) (\(said)). Grant it the "
                                + "Secret Manager Secret Accessor role (and Viewer to list secrets) on the project or secret.")
        case (401, _), (_, "UNAUTHENTICATED"):
            return CloudFailure(.unauthenticated, "\(what): Secret Manager did not accept the access token of \(principal) (\(said)).")
        case (_, "FAILED_PRECONDITION"):
            return CloudFailure(.disabled, "\(what): \(said). Enable a version of the secret or add a new one.")
        case (429, _), (_, "RESOURCE_EXHAUSTED"):
            return CloudFailure(.throttled, "\(what): Secret Manager is throttling requests\(response.retryAfterText); "
                                + "Strata retried and gave up. Try again shortly or raise the project's quota.")
        case (400, _), (_, "INVALID_ARGUMENT"):
            return CloudFailure(.invalidArgument, "\(what): invalid request (\(said)).")
        default:
            return CloudFailure(.other, "\(what): Secret Manager answered HTTP \(response.status) (\(said)).")
        }
    }
}
