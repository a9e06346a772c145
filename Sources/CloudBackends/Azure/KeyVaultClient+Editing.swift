import Foundation
import Engine

/// The Key Vault calls the guarded editor adds: setting a secret while telling a soft-deleted
/// name apart, and deleting one (a soft delete where the vault has soft-delete on, as every
/// vault made since 2020 does).
extension KeyVaultClient {
    /// Sets `name` to `value` (a new version). A name that is deleted but recoverable is a
    /// `CloudFailure(.alreadyExists)` saying how to recover or purge it.
    func setSecretGuarded(_ name: String, value: String) async throws -> SecretBundle {
        let reply = try await authorised("PUT", path: "/secrets/\(name)", body: jsonBody(["value": value]), what: "setting secret \(name)")
        guard let bundle = Self.bundle(reply) else {
            throw CloudFailure(.malformed, "Key Vault answered the write of \(name) without a secret id.")
        }
        return bundle
    }

    /// What Delete Secret answers: where the soft-deleted secret can be recovered from, and until when.
    struct DeletedSecret: Sendable {
        /// The deleted secret's URL (`…/deletedsecrets/{name}`); nil where the vault has no soft-delete.
        var recoveryID: String?
        var scheduledPurgeDate: Date?
    }

    /// Deletes `name` (all its versions): a soft delete where the vault keeps deleted secrets.
    func deleteSecret(_ name: String) async throws -> DeletedSecret {
        let reply = try await authorised("DELETE", path: "/secrets/\(name)", body: [], what: "deleting secret \(name)")
        return DeletedSecret(recoveryID: reply.string("recoveryId"),
                             scheduledPurgeDate: reply.int("scheduledPurgeDate").map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }

    /// The URL of `name` among the vault's deleted secrets, which `az keyvault secret recover/purge --id` take.
    func deletedSecretURL(_ name: String) -> String {
        vaultURL.absoluteString + "/deletedsecrets/" + name
    }

    /// A request with the bearer token for the vault's challenge, which an earlier read of the
    /// same vault has obtained and checked (the editor always reads before it writes).
    private func authorised(_ method: String, path: String, body: [UInt8], what: String) async throws -> JSONReply {
        if await challenges.challenge == nil {
            // Let the client's own flow meet and check the vault's challenge first.
            _ = try? await getSecret(String(path.split(separator: "/").last ?? ""))
        }
        guard let challenge = await challenges.challenge else {
            throw CloudFailure(.malformed, "\(vaultURL.hostAndPort) did not ask for a token; it does not behave like Key Vault.")
        }
        let query = "api-version=\(FormEncoding.escape(settings.apiVersion))"
        guard let url = URL(string: vaultURL.absoluteString + path + "?" + query) else {
            throw CloudFailure(.configuration, "cannot build a Key Vault URL for \(vaultURL.hostAndPort).")
        }
        var renewed = false
        while true {
            let token = try await tokens.token(scope: challenge.scope)
            var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("Authorization", "Bearer \(token.value)")]
            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
            let response = try await requester.send(HTTPRequest(method: method, url: url, headers: headers, body: body))
            if response.isSuccess {
                return response.body.isEmpty ? JSONReply([:]) : try JSONReply(response: response, what: "Key Vault (\(what))")
            }
            if response.status == 401, !renewed {
                await tokens.invalidate(scope: challenge.scope)
                renewed = true
                continue
            }
            if response.status == 409, Self.isDeletedButRecoverable(response) {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let id = deletedSecretURL(name)
                throw CloudFailure(.alreadyExists, "\(what): \(name) is deleted but recoverable in \(vaultURL.hostAndPort) (Key Vault "
                                   + "soft-delete), so the name cannot be set. Recover it (`az keyvault secret recover --id \(id)`) "
                                   + "or purge it (`az keyvault secret purge --id \(id)`), then save again.")
            }
            throw KeyVaultError.failure(response, what: what, principal: tokens.source.summary)
        }
    }

    /// Key Vault's 409 for a name held by a soft-deleted secret (inner code
    /// `ObjectIsDeletedButRecoverable`), as opposed to one still being deleted or recovered.
    static func isDeletedButRecoverable(_ response: HTTPResponse) -> Bool {
        let error = (try? JSONReply(response: response, what: "Key Vault"))?.child("error")
        if let inner = error?.child("innererror")?.string("code") {
            return inner == "ObjectIsDeletedButRecoverable"
        }
        return error?.string("message")?.contains("deleted but recoverable") == true
    }
}
