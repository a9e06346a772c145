import Editing
import Engine

/// Writes Airflow variables and connections to Secret Manager as new versions of
/// `prefix + sep + id`, creating the secret (automatic replication) when it does not exist.
public struct SecretManagerWriter: CloudSecretWriter {
    let source: SecretManagerTierSource

    public func lookupName(for key: SecretKey) -> LookupName { source.lookupName(for: key) }

    public func write(_ text: String, for key: SecretKey) async throws -> CloudWriteReceipt {
        do {
            let name = try requireName(for: key)
            let project = try await source.resolveProject()
            let client = source.client
            let data = Array(text.utf8)
            let versionName: String
            do {
                versionName = try await client.addVersion(project: project, secretID: name, data: data)
            } catch let failure as CloudFailure where failure.kind == .notFound {
                try await client.createSecret(project: project, secretID: name)
                versionName = try await client.addVersion(project: project, secretID: name, data: data)
            }
            let readBack = try await client.accessLatest(project: project, secretID: name)
            guard readBack.data == data else {
                throw TierError("wrote a new version of \(name) but reading `latest` back gave a different value "
                                + "(version \(readBack.versionNumber)); another writer may have raced this one. Check the secret's versions.")
            }
            let version = versionName.split(separator: "/").last.map(String.init) ?? readBack.versionNumber
            return CloudWriteReceipt(name: name, version: version)
        } catch {
            throw error.asTierError
        }
    }
}
