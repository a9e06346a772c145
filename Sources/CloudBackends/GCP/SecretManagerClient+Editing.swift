import Foundation
import Engine

/// The Secret Manager calls the guarded editor adds: creating a secret only when it does not
/// exist, and deleting one.
extension SecretManagerClient {
    /// Creates an empty secret with automatic replication; false when it exists already.
    func createSecretIfAbsent(project: String, secretID: String) async throws -> Bool {
        do {
            _ = try await call("POST", "projects/\(project)/secrets", query: [("secretId", secretID)],
                               body: jsonBody(["replication": ["automatic": [String: Any]()]]), what: "creating secret \(secretID)",
                               allowsEmptyReply: true)
            return true
        } catch let failure as CloudFailure where failure.kind == .alreadyExists {
            return false
        }
    }

    /// Deletes the secret with every version (`secrets.delete`; Secret Manager cannot undo it).
    func deleteSecret(project: String, secretID: String) async throws {
        _ = try await call("DELETE", "projects/\(project)/secrets/\(secretID)", query: [], what: "deleting secret \(secretID)",
                           allowsEmptyReply: true)
    }
}
