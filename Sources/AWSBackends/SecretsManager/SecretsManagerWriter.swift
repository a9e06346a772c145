import Foundation
import Editing
import Engine

/// Writes Secrets Manager secrets: PutSecretValue, or CreateSecret when the secret does not
/// exist yet; then GetSecretValue to check the new version holds exactly the text written.
public struct SecretsManagerWriter: AWSSecretWriter {
    public let source: SecretsManagerTierSource

    public init(source: SecretsManagerTierSource) {
        self.source = source
    }

    public func lookupName(for key: SecretKey) -> LookupName { source.lookupName(for: key) }

    public func write(_ text: String, for key: SecretKey) async throws -> AWSWriteReceipt {
        let name = try requireName(for: key)
        let api = source.api
        do {
            var created = false
            var version: String?
            do {
                version = try await api.putSecretValue(name, secretString: text, token: UUID().uuidString)
            } catch let error as AWSServiceError where error.kind == .notFound {
                version = try await api.createSecret(name, secretString: text, token: UUID().uuidString)
                created = true
            }
            let back = try await api.getSecretValue(name)
            guard back.secretString == text, version == nil || back.versionID == version else {
                throw TierError("wrote \(name) but reading it back gave a different value or version; another writer "
                    + "may have changed it at the same time. Check the secret's versions in Secrets Manager.")
            }
            var notes: [String] = []
            if key.kind == .connection, case .unreadable(let reason) = StoredValueReading.state(
                kind: .connection, text: text, dialect: source.dialect, transform: { try source.mapping.connectionValue(fromSecret: $0) }) {
                notes.append("stored, but Airflow cannot read it as a connection: \(reason)")
            }
            return AWSWriteReceipt(name: name, version: back.versionID ?? version ?? "", created: created, notes: notes)
        } catch let error as AWSServiceError {
            throw TierError("writing \(name) failed: \(error.description)")
        }
    }
}
