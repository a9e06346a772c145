import Foundation
import PythonCompat
import Engine

/// One secret as stored in a KV engine: where it is, its key/value data and, on KV v2, the
/// version that was read (the check-and-set token for writing it back).
public struct VaultSecret: Sendable, Hashable {
    public var location: VaultSecretLocation
    /// The secret's key/value pairs (`conn_uri`, `value`, connection fields…).
    public var data: JSONObject
    /// KV v2: the version read; `nil` on KV v1.
    public var version: Int?
    /// KV v2: when the secret was first written (from the metadata, when known).
    public var createdTime: String?
    /// KV v2: when the version read was written.
    public var updatedTime: String?

    public init(location: VaultSecretLocation, data: JSONObject, version: Int? = nil,
                createdTime: String? = nil, updatedTime: String? = nil) {
        self.location = location
        self.data = data
        self.version = version
        self.createdTime = createdTime
        self.updatedTime = updatedTime
    }

    /// Facts for the detail pane (never the data).
    var metadata: [String: String] {
        var facts = ["mount": location.mount, "path": location.path, "kv_version": String(location.kvEngineVersion)]
        if let version { facts["version"] = String(version) }
        if let createdTime { facts["created"] = createdTime }
        if let updatedTime { facts["updated"] = updatedTime }
        return facts
    }
}

/// Metadata a KV v2 listing reports for one secret (OpenBao's `detailed-metadata`).
struct VaultKeyMetadata: Sendable, Hashable {
    var currentVersion: Int?
    var createdTime: String?
    var updatedTime: String?
    init(_ info: JSONObject) {
        currentVersion = VaultClient.int(info["current_version"])
        createdTime = info["created_time"]?.stringValue
        updatedTime = info["updated_time"]?.stringValue
    }
}
