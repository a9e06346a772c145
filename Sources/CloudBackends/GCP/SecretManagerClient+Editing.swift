import Foundation
import Engine

/// The Secret Manager calls the guarded editor adds: creating a secret only when it does not
/// exist, and deleting one.
extension SecretManagerClient {
    /// Creates an empty secret with automatic replication; false when it exists already.
    func createSecretIfAbsent(project: String, secretID: String) async throws -> Bool {
        do {
            _ = try await request("POST", "projects/\(project)/secrets", query: [("secretId", secretID)],
                                  body: jsonBody(["replication": ["automatic": [String: Any]()]]), what: "creating secret \(secretID)")
            return true
        } catch let failure as CloudFailure where failure.kind == .alreadyExists {
            return false
        }
    }

    /// Deletes the secret with every version (`secrets.delete`; Secret Manager cannot undo it).
    func deleteSecret(project: String, secretID: String) async throws {
        _ = try await request("DELETE", "projects/\(project)/secrets/\(secretID)", query: [], what: "deleting secret \(secretID)")
    }

    /// One authorised call, renewing the token once on a 401 — as the client's reads do.
    private func request(_ method: String, _ path: String, query: [(String, String)], body: [UInt8] = [],
                         what: String) async throws -> JSONReply {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var text = base + "/v1/" + path
        if !query.isEmpty { text += "?" + query.map { "\($0.0)=\(FormEncoding.escape($0.1))" }.joined(separator: "&") }
        guard let url = URL(string: text) else {
            throw CloudFailure(.configuration, "cannot build a Secret Manager URL from endpoint \(endpoint.absoluteString).")
        }
        var refreshed = false
        while true {
            let token = try await tokens.token()
            var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(token.value)"), ("Accept", "application/json")]
            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
            if let quotaProject { headers.append(("x-goog-user-project", quotaProject)) }
            let response = try await requester.send(HTTPRequest(method: method, url: url, headers: headers, body: body))
            if response.isSuccess {
                return response.body.isEmpty ? JSONReply([:]) : try JSONReply(response: response, what: "Secret Manager (\(what))")
            }
            if response.status == 401, !refreshed {
                await tokens.invalidate()
                refreshed = true
                continue
            }
            throw GoogleAPIError.failure(response, what: what, principal: tokens.source.summary)
        }
    }
}
