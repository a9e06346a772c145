import Foundation
import PythonCompat
import Engine

/// The Secrets Manager operations the guarded editor adds: version stages, deleting and restoring.
extension SecretsManagerAPI {
    /// Each version's staging labels (`DescribeSecret`'s `VersionIdsToStages`).
    func versionStages(_ id: String) async throws -> [String: [String]] {
        let reply = try await client.call("DescribeSecret", JSONObject([("SecretId", .string(id))]))
        var stages: [String: [String]] = [:]
        for (version, labels) in reply["VersionIdsToStages"]?.objectValue ?? JSONObject() {
            if case .array(let items) = labels { stages[version] = items.compactMap(\.stringValue) }
        }
        return stages
    }

    /// Schedules the secret for deletion with the service's default recovery window (30
    /// days); returns the date it will be gone, when the service says.
    func deleteSecret(_ id: String) async throws -> Date? {
        let reply = try await client.call("DeleteSecret", JSONObject([("SecretId", .string(id))]))
        return Self.date(reply["DeletionDate"])
    }

    /// Cancels a scheduled deletion.
    func restoreSecret(_ id: String) async throws {
        _ = try await client.call("RestoreSecret", JSONObject([("SecretId", .string(id))]))
    }

    /// Whether the secret exists but is scheduled for deletion; nil when it does not exist.
    func isScheduledForDeletion(_ id: String) async throws -> Bool? {
        do {
            let reply = try await client.call("DescribeSecret", JSONObject([("SecretId", .string(id))]))
            return reply["DeletedDate"].map { $0 != .null } ?? false
        } catch let error as AWSServiceError where error.kind == .notFound {
            return nil
        }
    }
}
