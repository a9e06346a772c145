import RemoteSupport
import Foundation
import Editing
import Engine

/// The Azure Key Vault tier: lists the vault's secrets (every `nextLink` page), keeps those
/// under the connections and variables prefixes, and reads each current version.
public struct KeyVaultTierSource: TierSource {
    public let descriptor: TierDescriptor
    let client: KeyVaultClient
    let dialect: ConnectionDialect
    let concurrency: Int

    init(client: KeyVaultClient, tier: TierID, dialect: ConnectionDialect, concurrency: Int) {
        self.client = client
        self.dialect = dialect
        self.concurrency = concurrency
        descriptor = TierDescriptor(tier: tier, label: "Azure Key Vault",
                                    detail: "\(client.vaultURL.absoluteString) · \(client.settings.credentials.summary)")
    }

    var naming: KeyVaultSecretNaming { client.settings.naming }

    /// What authenticates this tier, without secrets.
    public var credentialSummary: String { client.settings.credentials.summary }

    public func lookupName(for key: SecretKey) -> LookupName {
        client.settings.teamNaming?.lookupName(for: key) ?? naming.lookupName(for: key)
    }

    /// With a team, the global name after `<prefix>-<team>--<id>`.
    public func globalLookupName(for key: SecretKey) -> LookupName? {
        client.settings.teamNaming?.globalLookupName(for: key)
    }

    public func load() async throws -> TierSnapshot {
        do { return try await loadSnapshot() } catch { throw error.asTierError }
    }

    /// The ids a listed secret can hold, by kind (none: Airflow never reads it).
    private func ids(for name: String) -> [(kind: SecretKind, id: String)] {
        SecretKind.allCases.compactMap { kind in
            (client.settings.teamNaming?.id(fromTeamName: name, kind: kind) ?? naming.suggestedID(forSecretName: name, kind: kind))
                .map { (kind, $0) }
        }
    }

    private func loadSnapshot() async throws -> TierSnapshot {
        let client = self.client
        let ids = self.ids(for:)
        // Each page's secrets are read while the next page is listed: 40 pages of 25 come one
        // after another, so reading only after the last one left the reads waiting on them.
        // One window for all reads, as wide as the service takes (a request per secret is the
        // floor of both APIs); disabled secrets are listed but cannot be read, so no request.
        let listed = try await mapAdaptivelyWhilePaging(from: client.firstListPage, fetch: { try await client.listPage($0) },
                                                        window: .reads(concurrency: concurrency),
                                                        isPushback: { $0.map(CloudFailure.isPushback) ?? false }) {
            item -> Result<KeyVaultClient.SecretBundle, CloudFailure>? in
            guard item.enabled, !ids(item.name).isEmpty else { return nil }
            do { return .success(try await client.getSecret(item.name)) }
            catch let failure as CloudFailure { return .failure(failure) }
            catch { return .failure(CloudFailure(.other, "reading secret \(item.name) failed: \(type(of: error))")) }
        }
        var candidates: [(kind: SecretKind, item: KeyVaultClient.SecretBundle, id: String)] = []
        var byName: [String: Result<KeyVaultClient.SecretBundle, CloudFailure>] = [:]
        for (item, outcome) in listed.sorted(by: { $0.item.name < $1.item.name }) {
            for (kind, id) in ids(item.name) { candidates.append((kind, item, id)) }
            if let outcome { byName[item.name] = outcome }
        }
        var records: [TierRecord] = []
        var warnings: [String] = []
        for candidate in candidates {
            let name = candidate.item.name
            var metadata = Self.metadata(candidate.item)
            guard candidate.item.enabled, let outcome = byName[name] else {
                records.append(TierRecord(kind: candidate.kind, name: name, suggestedID: candidate.id,
                                          state: .unreadable(reason: "the secret is disabled in the vault; Airflow's read fails "
                                                             + "(Forbidden) and it moves on to the next tier"), metadata: metadata))
                continue
            }
            switch outcome {
            case .success(let bundle):
                metadata = Self.metadata(bundle)
                records.append(StoredSecret.record(kind: candidate.kind, name: name, suggestedID: candidate.id,
                                                   text: bundle.value ?? "", dialect: dialect, metadata: metadata))
            case .failure(let failure) where failure.kind == .notFound:
                warnings.append("\(name) was listed but is gone now (deleted while loading); Airflow treats it as absent.")
            case .failure(let failure):
                records.append(TierRecord(kind: candidate.kind, name: name, suggestedID: candidate.id,
                                          state: .unreadable(reason: failure.message + " Airflow's lookup raises, logs it and moves on to the next tier."),
                                          metadata: metadata))
            }
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    static func metadata(_ bundle: KeyVaultClient.SecretBundle) -> [String: String] {
        var metadata: [String: String] = [:]
        if let version = bundle.version { metadata["version"] = version }
        if let updated = bundle.updated { metadata["updated"] = ISO8601DateFormatter().string(from: updated) }
        if let type = bundle.contentType { metadata["contentType"] = type }
        if !bundle.enabled { metadata["enabled"] = "false" }
        return metadata
    }
}

/// Writes Airflow variables and connections to Key Vault (Set Secret: a new version of the
/// name Airflow reads), verified by reading the current version back.
public struct KeyVaultWriter: CloudSecretWriter {
    let source: KeyVaultTierSource

    public func lookupName(for key: SecretKey) -> LookupName { source.lookupName(for: key) }

    public func write(_ text: String, for key: SecretKey) async throws -> CloudWriteReceipt {
        do {
            let name = try requireName(for: key)
            let written = try await source.client.setSecret(name, value: text)
            let readBack = try await source.client.getSecret(name)
            guard readBack.value == text else {
                throw TierError("set \(name) but reading it back gave a different value (version \(readBack.version ?? "?")); "
                                + "another writer may have raced this one. Check the secret's versions.")
            }
            return CloudWriteReceipt(name: name, version: written.version ?? readBack.version ?? "")
        } catch {
            throw error.asTierError
        }
    }
}
