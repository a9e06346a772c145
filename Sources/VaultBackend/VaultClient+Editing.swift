import Foundation
import Engine

extension VaultClient {
    /// KV v2: the secret's current version number and whether that version is deleted or
    /// destroyed (then Airflow reads nothing, yet a new write must check-and-set on it).
    /// `nil` when the secret has no metadata, or the token may not read it.
    func currentVersion(_ location: VaultSecretLocation) async throws -> (version: Int, deleted: Bool)? {
        guard location.kvEngineVersion == 2 else { return nil }
        let path = "\(location.mount.pythonQuotedPath)/metadata/\(location.path.pythonQuotedPath)".collapsingSlashes
        let reply: Reply
        do {
            reply = try await send("GET", path, purpose: Purpose(capability: "read", policyPath: path.removingPercentEncoding ?? path))
        } catch let failure as VaultFailure where failure.kind == .permissionDenied {
            return nil
        }
        guard reply.status == 200, let data = reply.data, let current = Self.int(data["current_version"]), current > 0 else {
            return nil
        }
        let entry = data["versions"]?.objectValue?[String(current)]?.objectValue
        let deletion = entry?["deletion_time"]?.stringValue ?? ""
        let destroyed = entry?["destroyed"] == .bool(true)
        return (current, !deletion.isEmpty || destroyed)
    }

    /// Deletes the secret at `location`: on KV v2 a soft delete of its latest version (it can
    /// be undeleted), on KV v1 the secret itself (for good).
    func deleteSecret(_ location: VaultSecretLocation) async throws {
        let path = String(location.apiPath.dropFirst("/v1/".count))
        let reply = try await send("DELETE", path, purpose: Purpose(capability: "delete", policyPath: path.removingPercentEncoding ?? path))
        if reply.status == 404 {
            throw VaultFailure(.wrongMount, "Vault has no KV engine that accepts \(location.logicalName) (HTTP 404); check mount_point "
                               + "and kv_engine_version.")
        }
    }
}

extension String {
    /// Every `//` collapsed to `/`, as hvac sends paths.
    var collapsingSlashes: String {
        var text = self
        while text.contains("//") { text = text.replacingOccurrences(of: "//", with: "/") }
        return text
    }
}
