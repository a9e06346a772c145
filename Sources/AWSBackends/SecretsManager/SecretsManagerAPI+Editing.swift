import Foundation
import Engine

/// The Secrets Manager operations the guarded editor adds: versions staged under a label of
/// its own, the check-and-set move of `AWSCURRENT`, deleting and restoring.
extension SecretsManagerAPI {
    /// The staging label a new value carries until it is made current.
    static let pendingStage = "STRATA_PENDING"

    /// Stores a new version carrying only `stages` (so `AWSCURRENT` stays where it is);
    /// returns its version id.
    func putSecretValue(_ id: String, secretString: String, token: String, stages: [String]) async throws -> String? {
        let reply = try await client.call("PutSecretValue", JSONObject([
            ("SecretId", .string(id)), ("SecretString", .string(secretString)), ("ClientRequestToken", .string(token)),
            ("VersionStages", .array(stages.map(JSONValue.string))),
        ]))
        return reply["VersionId"]?.stringValue
    }

    /// Moves `stage` to `moveTo` and off `removeFrom`. Secrets Manager refuses (an
    /// `InvalidParameterException`) when `removeFrom` does not hold the stage any more: for
    /// `AWSCURRENT`, that is a check-and-set on the current version.
    func updateSecretVersionStage(_ id: String, stage: String, moveTo: String?, removeFrom: String?) async throws {
        var input = JSONObject([("SecretId", .string(id)), ("VersionStage", .string(stage))])
        if let moveTo { input["MoveToVersionId"] = .string(moveTo) }
        if let removeFrom { input["RemoveFromVersionId"] = .string(removeFrom) }
        _ = try await client.call("UpdateSecretVersionStage", input)
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
