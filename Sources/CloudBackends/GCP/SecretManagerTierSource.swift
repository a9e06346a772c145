import RemoteSupport
import Foundation
import Engine

/// The Google Cloud Secret Manager tier: lists the secrets under the connections and variables
/// prefixes (every page) and reads the `latest` version of each, as Airflow would.
public struct SecretManagerTierSource: TierSource {
    public let descriptor: TierDescriptor
    let settings: GCPBackendSettings
    let client: SecretManagerClient
    let dialect: ConnectionDialect
    let concurrency: Int

    init(settings: GCPBackendSettings, client: SecretManagerClient, tier: TierID, dialect: ConnectionDialect, concurrency: Int) {
        self.settings = settings
        self.client = client
        self.dialect = dialect
        self.concurrency = concurrency
        let project = settings.projectID.map { "project \($0)" } ?? "project from the metadata server"
        descriptor = TierDescriptor(tier: tier, label: "GCP Secret Manager",
                                    detail: "\(project) · \(settings.credentials.summary)")
    }

    /// What authenticates this tier, without secrets.
    public var credentialSummary: String { settings.credentials.summary }

    public func lookupName(for key: SecretKey) -> LookupName {
        settings.teamNaming?.lookupName(for: key) ?? settings.naming.lookupName(for: key)
    }

    /// With a team, the global name after `<prefix>-<team>--<id>`.
    public func globalLookupName(for key: SecretKey) -> LookupName? {
        settings.teamNaming?.globalLookupName(for: key)
    }

    /// The project the tier reads: the configured one, or the metadata server's.
    func resolveProject() async throws -> String {
        if let project = settings.projectID { return project }
        if let project = try await client.tokens.metadataProjectID() { return project }
        throw CloudFailure(.configuration, "no Google Cloud project id: set project_id in the backend kwargs "
                           + "(or GOOGLE_CLOUD_PROJECT); the credentials do not name one.")
    }

    public func load() async throws -> TierSnapshot {
        do {
            return try await loadSnapshot()
        } catch {
            throw error.asTierError
        }
    }

    private func loadSnapshot() async throws -> TierSnapshot {
        let project = try await resolveProject()
        let naming = settings.naming
        var warnings: [String] = []
        // One listing per distinct prefix; a secret may belong to both kinds (an empty prefix).
        let prefixes = Set(SecretKind.allCases.compactMap { naming.namePrefix(for: $0) })
        var secrets: [String: SecretManagerClient.SecretSummary] = [:]
        for prefix in prefixes.sorted() {
            for summary in try await client.listSecrets(project: project, namePrefix: prefix).secrets {
                secrets[summary.secretID] = summary
            }
        }
        var candidates: [(kind: SecretKind, secretID: String, id: String)] = []
        for secretID in secrets.keys.sorted() {
            for kind in SecretKind.allCases {
                if let id = settings.teamNaming?.id(fromTeamName: secretID, kind: kind) ?? naming.key(forSecretID: secretID, kind: kind)?.id {
                    candidates.append((kind, secretID, id))
                }
            }
        }
        let ids = Array(Set(candidates.map(\.secretID))).sorted()
        let client = self.client
        // As wide as the service takes (one request per secret is the floor of both APIs).
        let outcomes = await mapAdaptively(ids, window: .reads(concurrency: concurrency),
                                           isPushback: CloudFailure.isPushback) { secretID -> Result<SecretManagerClient.AccessedVersion, CloudFailure> in
            do { return .success(try await client.accessLatest(project: project, secretID: secretID)) }
            catch let failure as CloudFailure { return .failure(failure) }
            catch { return .failure(CloudFailure(.other, "reading secret \(secretID) failed: \(type(of: error))")) }
        }
        let byID = Dictionary(uniqueKeysWithValues: zip(ids, outcomes))
        var records: [TierRecord] = []
        for candidate in candidates {
            guard let outcome = byID[candidate.secretID] else { continue }
            var metadata = ["project": project]
            if let created = secrets[candidate.secretID]?.createTime { metadata["created"] = created }
            switch outcome {
            case .success(let version):
                metadata["version"] = version.versionNumber
                guard let text = String(validating: version.data, as: UTF8.self) else {
                    records.append(TierRecord(kind: candidate.kind, name: candidate.secretID, suggestedID: candidate.id,
                                              state: .unreadable(reason: "the latest version is not UTF-8 text; Airflow's decode fails and it moves on to the next tier"),
                                              metadata: metadata))
                    continue
                }
                records.append(StoredSecret.record(kind: candidate.kind, name: candidate.secretID, suggestedID: candidate.id,
                                                   text: text, dialect: dialect, metadata: metadata))
            case .failure(let failure) where failure.kind == .notFound:
                // Airflow treats NotFound (no enabled version left) as "not here".
                warnings.append("\(candidate.secretID) has no accessible version; Airflow treats it as absent.")
            case .failure(let failure):
                records.append(TierRecord(kind: candidate.kind, name: candidate.secretID, suggestedID: candidate.id,
                                          state: .unreadable(reason: Self.fallThroughNote(failure)), metadata: metadata))
            }
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    /// A failed read, with what Airflow then does.
    static func fallThroughNote(_ failure: CloudFailure) -> String {
        switch failure.kind {
        case .permissionDenied, .invalidArgument:
            return failure.message + " Airflow logs the error and moves on to the next tier."
        default:
            return failure.message + " Airflow's lookup raises, logs it and moves on to the next tier."
        }
    }
}
