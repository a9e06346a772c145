import Foundation
import PythonCompat
import Engine

/// How a connection is stored in a Vault secret.
public enum VaultConnectionForm: String, Sendable, Hashable, CaseIterable {
    /// `{"conn_uri": "<uri>"}`, as the Astro guide writes it.
    case uri
    /// One key per field (`conn_type`, `host`, `login`, `password`, `schema`, `port`, `extra`,
    /// `description`), the provider's JSON form.
    case fields
}

/// A value to store under a key.
public enum VaultWriteValue: Sendable, Hashable {
    case variable(String)
    case connection(Connection, form: VaultConnectionForm)
}

/// Writes variables and connections to the deployment's Vault, never over a change it has not
/// seen: KV v2 writes check-and-set on the version that was read; KV v1 (which has no
/// versions) re-reads and compares first. Every write is read back and compared.
public struct VaultSecretWriter: Sendable {
    public let source: VaultTierSource
    /// How connections are serialised (the deployment's parser).
    let dialect: ConnectionDialect

    public init(source: VaultTierSource, dialect: ConnectionDialect = .core) {
        self.source = source
        self.dialect = dialect
    }

    /// What is stored for `key` now (the first base path holding it), to start an edit from.
    public func read(_ key: SecretKey) async throws -> VaultSecret? {
        try await source.read(key)
    }

    /// Stores `value` under `key`. `replacing` is the secret as it was read (`nil`: the key
    /// must not exist yet). Throws `VaultFailure(.conflict)` when it changed meanwhile, and
    /// returns the secret as stored afterwards.
    @discardableResult
    public func write(_ value: VaultWriteValue, to key: SecretKey, replacing: VaultSecret?) async throws -> VaultSecret {
        guard (value.isConnection) == (key.kind == .connection) else {
            throw VaultFailure(.configuration, "a \(value.isConnection ? "connection" : "variable") value cannot be stored as "
                               + "\(key.kind == .connection ? "connection" : "variable") \(key.id).")
        }
        guard let location = replacing?.location ?? source.settings.naming.vaultLocations(for: key).first else {
            let reason = source.lookupName(for: key)
            if case .skipped(let why) = reason {
                throw VaultFailure(.configuration, "Airflow never reads \(key.id) from Vault (\(why)), so Strata does not write it there.")
            }
            throw VaultFailure(.configuration, "no Vault path is configured for \(key.id).")
        }
        let data = try payload(value, keeping: replacing?.data)
        let client = source.client
        let newVersion: Int?
        if location.kvEngineVersion == 2 {
            newVersion = try await client.writeSecret(location, data: data, cas: replacing?.version ?? 0)
        } else {
            // KV v1 has no check-and-set: compare what is there with what was read, then write.
            let current = try await client.readSecret(location)
            guard current?.data.hasSameContent(as: replacing?.data) ?? (replacing == nil) else {
                throw VaultFailure(.conflict, replacing == nil
                    ? "\(location.logicalName) was created by someone else since it was read; nothing was written. Reload and edit again."
                    : "\(location.logicalName) changed since it was read; nothing was written. Reload and edit again.")
            }
            newVersion = try await client.writeSecret(location, data: data, cas: nil)
        }
        guard let stored = try await client.readSecret(location), stored.data.hasSameContent(as: data) else {
            throw VaultFailure(.server, "the write to \(location.logicalName) could not be verified: reading it back gave "
                               + "different data. Check the secret in Vault before editing again.")
        }
        if let newVersion, let readVersion = stored.version, readVersion != newVersion {
            throw VaultFailure(.conflict, "\(location.logicalName) changed again right after this write (version \(readVersion), "
                               + "this write made \(newVersion)). Reload to see the current value.")
        }
        return stored
    }

    /// The secret's new key/value data.
    func payload(_ value: VaultWriteValue, keeping old: JSONObject?) throws -> JSONObject {
        switch value {
        case .variable(let text):
            // Other keys of the secret are not Airflow's; keep them.
            var data = old ?? JSONObject()
            data["value"] = .string(text)
            return data
        case .connection(let connection, .uri):
            return JSONObject([("conn_uri", .string(try connection.uri(dialect: dialect)))])
        case .connection(let connection, .fields):
            guard case .object(let fields) = try JSONValue.parsePython(try connection.jsonText(dialect: dialect)) else {
                throw VaultFailure(.configuration, "the connection's JSON form is not an object.")
            }
            return fields
        }
    }
}

extension VaultWriteValue {
    var isConnection: Bool {
        if case .connection = self { return true }
        return false
    }
}

extension JSONObject {
    /// Equal members whatever their order (Vault returns keys sorted, not as written).
    func hasSameContent(as other: JSONObject?) -> Bool {
        guard let other, count == other.count else { return false }
        return allSatisfy { member in other[member.key].map { $0.hasSameContent(as: member.value) } ?? false }
    }
}

extension JSONValue {
    func hasSameContent(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)): return a.hasSameContent(as: b)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.hasSameContent(as: $1) }
        default: return self == other
        }
    }
}
