import Foundation
import PythonCompat
import Engine

/// What a KV engine mount is, as the server reports it.
struct VaultMountInfo: Sendable, Hashable {
    /// `kv`, `generic`, `cubbyhole`, `transit`…
    var type: String
    /// 1 or 2 for KV engines.
    var kvVersion: Int?
}

/// One name a LIST returned under a folder: a secret (with KV v2 metadata when the server
/// lists it) or a sub-folder (ends with `/`).
struct VaultListEntry: Sendable, Hashable {
    var name: String
    var metadata: VaultKeyMetadata?
    var isFolder: Bool { name.hasSuffix("/") }
}

extension VaultClient {
    // MARK: Reading

    /// The latest version of the secret at `location`, or `nil` when Vault has none (404,
    /// also a deleted or destroyed latest version) — exactly when Airflow gets `None`.
    func readSecret(_ location: VaultSecretLocation) async throws -> VaultSecret? {
        let path = String(location.apiPath.dropFirst("/v1/".count))
        let reply = try await send("GET", path, purpose: Purpose(capability: "read", policyPath: path.removingPercentEncoding ?? path))
        if reply.status == 404 {
            if location.kvEngineVersion == 1, reply.warnings.contains(where: { $0.contains("versioned K/V") }) {
                throw VaultFailure(.wrongMount, Self.versionMismatch(mount: location.mount, actual: 2, configured: 1))
            }
            return nil
        }
        guard let data = reply.data else {
            throw VaultFailure(.server, "Vault's answer for \(location.logicalName) has no data object.")
        }
        guard location.kvEngineVersion == 2 else {
            return VaultSecret(location: location, data: data)
        }
        guard case .object(let fields)? = data["data"] else {
            // A KV v1 engine answers `…/data/<path>` only if a secret is literally stored there.
            throw VaultFailure(.wrongMount, "the secret at \(location.logicalName) has no KV v2 data; is \(location.mount)/ "
                               + "a KV version 1 mount? Then set \"kv_engine_version\": 1.")
        }
        let metadata = data["metadata"]?.objectValue
        return VaultSecret(location: location, data: fields, version: Self.int(metadata?["version"]),
                           createdTime: nil, updatedTime: metadata?["created_time"]?.stringValue)
    }

    // MARK: Listing

    /// Every name directly under `folder` (a path inside `mount`, "" for the top), page by page.
    /// KV v2 asks OpenBao's `detailed-metadata` first (names with their metadata in one call)
    /// and falls back to `metadata` where the server or the policy does not allow it.
    func listFolder(mount: String, folder: String, kvVersion: Int, pageSize: Int,
                    listing: VaultListingMode) async throws -> [VaultListEntry] {
        if kvVersion == 2, listing.detailedAllowed {
            do {
                if let entries = try await listPages(mount: mount, endpoint: "detailed-metadata", folder: folder, pageSize: pageSize) {
                    return entries
                }
            } catch let failure as VaultFailure where failure.kind == .permissionDenied {
                // A policy written for <mount>/metadata/* does not cover detailed-metadata.
            }
            listing.disableDetailed()
        }
        return try await listPages(mount: mount, endpoint: kvVersion == 2 ? "metadata" : nil, folder: folder,
                                   pageSize: pageSize) ?? []
    }

    /// Pages of a LIST; `nil` when the endpoint does not exist on this server.
    private func listPages(mount: String, endpoint: String?, folder: String, pageSize: Int) async throws -> [VaultListEntry]? {
        var parts = [mount.pythonQuotedPath]
        if let endpoint { parts.append(endpoint) }
        if !folder.isEmpty { parts.append(folder.pythonQuotedPath) }
        var path = parts.joined(separator: "/") + "/"
        while path.contains("//") { path = path.replacingOccurrences(of: "//", with: "/") }
        let purpose = Purpose(capability: "list", policyPath: path.removingPercentEncoding ?? path)
        var entries: [VaultListEntry] = []
        var seen = Set<String>()
        var after: String?
        while true {
            var query = [("limit", String(pageSize))]
            if let after { query.append(("after", after)) }
            let reply = try await send("LIST", path, query: query, purpose: purpose)
            if reply.status == 404 {
                // An empty folder answers 404 with no errors; an unknown endpoint names the problem.
                if !reply.errors.isEmpty && endpoint == "detailed-metadata" { return nil }
                return entries
            }
            // OpenBao answers a LIST of an empty KV v1 folder with 200 and `{"data": {}}`.
            if let data = reply.data, data.isEmpty { return entries }
            guard case .array(let keys)? = reply.data?["keys"] else {
                throw VaultFailure(.server, "Vault's LIST answer for \(purpose.policyPath) has no keys.")
            }
            let info = reply.data?["key_info"]?.objectValue
            var added = 0
            for case .string(let name) in keys where seen.insert(name).inserted {
                entries.append(VaultListEntry(name: name, metadata: info?[name]?.objectValue.map(VaultKeyMetadata.init)))
                added += 1
            }
            // A server without pagination (HashiCorp Vault) ignores `limit` and returns everything.
            guard keys.count == pageSize, added > 0, case .string(let last)? = keys.last else { return entries }
            after = last
        }
    }

    // MARK: Mounts

    /// What is mounted at `mount`, from `sys/internal/ui/mounts/<mount>` (any token that may
    /// use the mount) or else `sys/mounts` (tokens that may read it); `nil` when the token may
    /// read neither. Throws `.wrongMount` when nothing is mounted there.
    func mountInfo(_ mount: String) async throws -> VaultMountInfo? {
        let reply = try? await send("GET", "sys/internal/ui/mounts/" + mount.pythonQuotedPath,
                                    purpose: Purpose(capability: "read", policyPath: "sys/internal/ui/mounts/\(mount)"))
        if let reply, reply.status == 200, let data = reply.data {
            return Self.mountInfo(data)
        }
        guard let all = try? await send("GET", "sys/mounts", purpose: Purpose(capability: "read", policyPath: "sys/mounts")),
              all.status == 200, let table = all.data ?? all.json else { return nil }
        if let entry = table[mount + "/"]?.objectValue { return Self.mountInfo(entry) }
        throw VaultFailure(.wrongMount, "no secrets engine is mounted at \(mount)/ on \(baseURL.displayHost): every lookup finds "
                           + "nothing and Airflow moves on to the next tier. Check mount_point (or enable one: "
                           + "`bao secrets enable -path=\(mount) -version=2 kv`).")
    }

    /// The KV mounts the token can see (for `mount_point: null`, where each key names its mount).
    func kvMounts() async throws -> [String: VaultMountInfo] {
        let reply = try await send("GET", "sys/internal/ui/mounts", purpose: Purpose(capability: "read", policyPath: "sys/internal/ui/mounts"))
        guard let secret = reply.data?["secret"]?.objectValue else { return [:] }
        var mounts: [String: VaultMountInfo] = [:]
        for (path, value) in secret {
            guard let entry = value.objectValue else { continue }
            let info = Self.mountInfo(entry)
            if info.kvVersion != nil { mounts[path.strippingTrailingSlashes] = info }
        }
        return mounts
    }

    static func mountInfo(_ entry: JSONObject) -> VaultMountInfo {
        let type = entry["type"]?.stringValue ?? "unknown"
        var version: Int?
        if type == "kv" || type == "generic" {
            version = entry["options"]?.objectValue?["version"]?.stringValue.flatMap(Int.init) ?? 1
        }
        return VaultMountInfo(type: type, kvVersion: version)
    }

    static func versionMismatch(mount: String, actual: Int, configured: Int) -> String {
        "\(mount)/ is a KV version \(actual) mount but kv_engine_version is \(configured): Airflow reads "
            + (configured == 1 ? "/v1/\(mount)/<path>" : "/v1/\(mount)/data/<path>")
            + ", which this mount never answers, so every lookup finds nothing and moves on to the next tier. "
            + "Set \"kv_engine_version\": \(actual) in the backend kwargs."
    }

    // MARK: Writing

    /// Writes `data` to `location`. KV v2 sends `cas` (0 = only if absent) and returns the new
    /// version; a lost check-and-set is a `.conflict`. KV v1 has no versions (returns `nil`).
    func writeSecret(_ location: VaultSecretLocation, data: JSONObject, cas: Int?) async throws -> Int? {
        let path = String(location.apiPath.dropFirst("/v1/".count))
        var body = data
        if location.kvEngineVersion == 2 {
            body = JSONObject([("data", .object(data))])
            if let cas { body["options"] = .object(JSONObject([("cas", .integer(String(cas)))])) }
        }
        let purpose = Purpose(capability: cas == 0 ? "create" : "update", policyPath: path.removingPercentEncoding ?? path)
        let reply: Reply
        do {
            reply = try await send("POST", path, body: body, purpose: purpose)
        } catch let failure as VaultFailure where failure.kind == .badRequest && failure.message.contains("check-and-set") {
            throw VaultFailure(.conflict, cas == 0
                ? "\(location.logicalName) was created by someone else since it was read; nothing was written. Reload and edit again."
                : "\(location.logicalName) changed since version \(cas!) was read; nothing was written. Reload and edit again.")
        }
        if reply.status == 404 {
            throw VaultFailure(.wrongMount, "Vault has no KV engine that accepts \(location.logicalName) (HTTP 404); check mount_point "
                               + "and kv_engine_version.")
        }
        return location.kvEngineVersion == 2 ? Self.int(reply.data?["version"]) : nil
    }
}

/// Whether this server lists KV v2 folders with their metadata (`detailed-metadata`, OpenBao);
/// switched off at the first sign that it does not, shared by every listing of one load.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
final class VaultListingMode: @unchecked Sendable {
    private let lock = NSLock()
    private var detailed = true

    var detailedAllowed: Bool { lock.withLock { detailed } }
    func disableDetailed() { lock.withLock { detailed = false } }
}
