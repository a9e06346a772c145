import Foundation
import Editing
import Engine

/// Writes values to an AWS secrets tier. Every write is verified by reading the name back.
public protocol AWSSecretWriter: Sendable {
    /// The name `key` is stored under, or why Airflow would never read it from this tier.
    func lookupName(for key: SecretKey) -> LookupName

    /// Stores `text` as the current value of `key` (creating it when absent), reads it back and
    /// compares. Throws a `TierError` that never holds `text`.
    func write(_ text: String, for key: SecretKey) async throws -> AWSWriteReceipt
}

/// How a connection is serialised when written.
public enum ConnectionStorageForm: String, Sendable, Hashable, CaseIterable {
    /// `get_uri()`: one URI string.
    case uri
    /// JSON fields (`as_json()`): conn_type, host, login, password, schema, port, extra.
    case json
}

/// What a verified write did.
public struct AWSWriteReceipt: Sendable, Hashable {
    /// The secret's or parameter's name.
    public var name: String
    /// The version the write made (Secrets Manager version id, Parameter Store version number).
    public var version: String
    /// Whether the write created the secret or parameter.
    public var created: Bool
    /// Things the user should know (a description that the format cannot hold…).
    public var notes: [String]

    public init(name: String, version: String, created: Bool, notes: [String] = []) {
        self.name = name
        self.version = version
        self.created = created
        self.notes = notes
    }
}

extension AWSSecretWriter {
    /// Serialises `connection` in `form` with the codec of `dialect`, writes it under
    /// `connection id` and verifies it.
    public func write(connection: Connection, id: String, as form: ConnectionStorageForm,
                      dialect: ConnectionDialect = .core) async throws -> AWSWriteReceipt {
        let text: String
        do {
            text = form == .uri ? try connection.uri(dialect: dialect) : try connection.jsonText(dialect: dialect)
        } catch let error as AirflowError {
            throw TierError("cannot serialise connection \(id) as \(form.rawValue): Airflow raises \(error.className).")
        }
        var receipt = try await write(text, for: .connection(id))
        if let description = connection.description, !description.isEmpty {
            receipt.notes.append(form == .uri
                ? "the URI form cannot hold a description; it was not stored"
                : "the description is stored but Airflow's AWS backends do not read it back")
        }
        return receipt
    }

    func requireName(for key: SecretKey) throws -> String {
        switch lookupName(for: key) {
        case .name(let name): return name
        case .skipped(let reason): throw TierError("cannot write \(key): \(reason).")
        }
    }
}
