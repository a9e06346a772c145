import Foundation
import Engine

/// The AWS Secrets Manager tier: lists the secrets under the connections and variables
/// prefixes (every page) and reads their current values 20 at a time, as Airflow names them.
public struct SecretsManagerTierSource: AWSTierSource {
    public let descriptor: TierDescriptor
    public let settings: AWSBackendSettings
    let api: SecretsManagerAPI
    let dialect: ConnectionDialect
    let concurrency: Int
    /// How JSON secrets become connections (word lists, extra_conn_words).
    public let mapping: SecretsManagerConnectionMapping

    init(settings: AWSBackendSettings, api: SecretsManagerAPI, tier: TierID, dialect: ConnectionDialect, concurrency: Int) {
        self.settings = settings
        self.api = api
        self.dialect = dialect
        self.concurrency = concurrency
        self.mapping = SecretsManagerConnectionMapping(extraConnWords: settings.extraConnWords,
                                                       unquoteValues: settings.secretValuesURLEncoded)
        descriptor = TierDescriptor(tier: tier, label: "AWS Secrets Manager", detail: settings.authSummary)
    }

    /// Reads one key the way a DAG's lookup does (GetSecretValue on its name): `nil` when the
    /// secret does not exist or Airflow would never ask for it.
    public func read(_ key: SecretKey) async throws -> TierRecord? {
        guard case .name(let name) = lookupName(for: key) else { return nil }
        do {
            let value = try await api.getSecretValue(name)
            return record(value, kind: key.kind, id: key.id, entry: nil)
        } catch let error as AWSServiceError where error.kind == .notFound {
            return nil
        } catch let error as AWSServiceError where error.kind == .accessDenied {
            return TierRecord(kind: key.kind, name: name, suggestedID: key.id,
                              state: StoredValueReading.unreadable(error, resource: name), metadata: ["region": settings.region])
        } catch {
            throw error.asAWSTierError
        }
    }

    /// Lists each prefix page by page and reads every page's secrets as soon as it arrives,
    /// at most `concurrency` reads at a time, so listing and reading overlap.
    public func loadSnapshot() async throws -> TierSnapshot {
        let naming = settings.naming
        let prefixes = SecretKind.allCases.filter(naming.isEnabled).compactMap(naming.listingPrefix(for:))
        let listings = prefixes.contains("") ? [""] : Array(Set(prefixes)).sorted()
        let state = LoadState()
        let limiter = Limiter(permits: concurrency)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for prefix in listings {
                group.addTask { try await self.listAndRead(prefix: prefix, state: state, limiter: limiter) }
            }
            try await group.waitForAll()
        }
        let (entries, candidates, outcomes, notFound, loadWarnings) = await state.result()
        var warnings = settings.warnings + loadWarnings
        var records: [TierRecord] = []
        for candidate in candidates.sorted(by: { ($0.name, $0.kind) < ($1.name, $1.kind) }) {
            switch outcomes[candidate.name] {
            case .value(let value)?:
                records.append(record(value, kind: candidate.kind, id: candidate.id, entry: entries[candidate.name]))
            case .failed(let entryState)?:
                records.append(TierRecord(kind: candidate.kind, name: candidate.name, suggestedID: candidate.id, state: entryState,
                                          metadata: metadata(entry: entries[candidate.name], value: nil)))
            case nil:
                continue  // deleted between listing and reading; warned about
            }
        }
        if !notFound.isEmpty {
            warnings.append("\(notFound.count) secret(s) disappeared between listing and reading: "
                + notFound.sorted().prefix(5).joined(separator: ", ") + (notFound.count > 5 ? ", …" : ""))
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    private func listAndRead(prefix: String, state: LoadState, limiter: Limiter) async throws {
        let naming = settings.naming
        try await withThrowingTaskGroup(of: Void.self) { reads in
            var token: String?
            repeat {
                let page: (entries: [SecretsManagerAPI.SecretEntry], nextToken: String?)
                do {
                    page = try await api.listSecretsPage(prefix: prefix, token: token)
                } catch let error as AWSServiceError where error.kind == .accessDenied {
                    throw TierError(error.description + " Strata lists secrets to browse them (secretsmanager:ListSecrets); "
                        + "Airflow itself only needs GetSecretValue.")
                }
                token = page.nextToken
                var found: [Candidate] = []
                var skipped: [String] = []
                for entry in page.entries {
                    for kind in SecretKind.allCases {
                        guard let id = naming.id(fromName: entry.name, kind: kind) else { continue }
                        if case .skipped(let reason) = naming.lookupName(for: SecretKey(kind, id)) {
                            skipped.append("\(entry.name) is never read by Airflow: \(reason).")
                            continue
                        }
                        found.append(Candidate(kind: kind, name: entry.name, id: id))
                    }
                }
                let toRead = await state.add(entries: page.entries, candidates: found, warnings: skipped)
                for start in stride(from: 0, to: toRead.count, by: 20) {
                    let chunk = Array(toRead[start..<min(start + 20, toRead.count)])
                    reads.addTask {
                        await limiter.acquire()
                        do {
                            try await self.read(chunk, state: state)
                            await limiter.release()
                        } catch {
                            await limiter.release()
                            throw error
                        }
                    }
                }
            } while token != nil
            try await reads.waitForAll()
        }
    }

    /// Reads up to 20 secrets: one BatchGetSecretValue, or GetSecretValue each when batching is
    /// not allowed or not available to these credentials.
    private func read(_ names: [String], state: LoadState) async throws {
        if await !state.batchDisabled {
            do {
                let result = try await api.batchGetSecretValue(names)
                await state.merge(result)
                return
            } catch let error as AWSServiceError where Self.batchUnavailable(error) {
                await state.disableBatch("BatchGetSecretValue is not available (\(error.code)); Strata reads secrets one by one "
                    + "with GetSecretValue, as Airflow does.")
            } catch let error as AWSServiceError where Self.isFatal(error) {
                throw error
            } catch let error as AWSServiceError {
                await state.fail(names, with: StoredValueReading.unreadable(error, resource: "these secrets"))
                return
            }
        }
        for name in names {
            do {
                await state.set(name, .value(try await api.getSecretValue(name)))
            } catch let error as AWSServiceError where error.kind == .notFound {
                await state.missing(name)
            } catch let error as AWSServiceError where Self.isFatal(error) {
                throw error
            } catch let error as AWSServiceError {
                await state.set(name, .failed(Self.itemState(error, name: name)))
            }
        }
    }

    struct Candidate: Sendable {
        var kind: SecretKind
        var name: String
        var id: String
    }

    enum ReadOutcome: Sendable {
        case value(SecretsManagerAPI.SecretValue)
        case failed(EntryState)
    }

    /// What one load has found so far, shared by its listing and reading tasks.
    actor LoadState {
        var entries: [String: SecretsManagerAPI.SecretEntry] = [:]
        var candidates: [Candidate] = []
        var claimed: Set<String> = []
        var outcomes: [String: ReadOutcome] = [:]
        var notFound: [String] = []
        var warnings: [String] = []
        private(set) var batchDisabled = false

        /// Records a page; returns the names not yet being read.
        func add(entries page: [SecretsManagerAPI.SecretEntry], candidates found: [Candidate], warnings skipped: [String]) -> [String] {
            for entry in page { entries[entry.name] = entry }
            candidates += found
            warnings += skipped
            var fresh: [String] = []
            for candidate in found where claimed.insert(candidate.name).inserted { fresh.append(candidate.name) }
            return fresh
        }

        func set(_ name: String, _ outcome: ReadOutcome) { outcomes[name] = outcome }
        func missing(_ name: String) { notFound.append(name) }
        func fail(_ names: [String], with state: EntryState) { for name in names { outcomes[name] = .failed(state) } }

        func disableBatch(_ warning: String) {
            if !batchDisabled { warnings.append(warning) }
            batchDisabled = true
        }

        func merge(_ result: (values: [SecretsManagerAPI.SecretValue], errors: [SecretsManagerAPI.BatchError])) {
            for value in result.values { outcomes[value.name] = .value(value) }
            for error in result.errors {
                let name = error.secretID
                let kind = AWSServiceError.kind(code: error.code, status: 400)
                if kind == .notFound { notFound.append(name); continue }
                var failure = AWSServiceError(kind: kind, code: error.code, service: .secretsManager, operation: "GetSecretValue",
                                              status: 400, serviceMessage: AWSServiceError.sanitize(error.message, redacting: []))
                if kind == .accessDenied {
                    failure.deniedAction = "secretsmanager:GetSecretValue"
                    failure.deniedResource = name
                }
                outcomes[name] = .failed(SecretsManagerTierSource.itemState(failure, name: name))
            }
        }

        func result() -> ([String: SecretsManagerAPI.SecretEntry], [Candidate], [String: ReadOutcome], [String], [String]) {
            (entries, candidates, outcomes, notFound, warnings)
        }
    }

    /// Errors Airflow maps to "not found" get that explanation; others say the lookup raises.
    static func itemState(_ error: AWSServiceError, name: String) -> EntryState {
        switch error.code {
        case "DecryptionFailure", "InternalServiceError", "InvalidRequestException", "InvalidParameterException":
            return .unreadable(reason: "\(error.code) reading \(name); Airflow treats that as not found and asks the next tier")
        default:
            return StoredValueReading.unreadable(error, resource: name)
        }
    }

    /// The batch call cannot be used: denied (it needs its own IAM action) or unknown to the endpoint.
    static func batchUnavailable(_ error: AWSServiceError) -> Bool {
        error.kind == .accessDenied || error.status == 404 || error.status == 501
            || ["UnknownOperationException", "InvalidAction", "NotImplemented", "UnsupportedOperation"].contains(error.code)
    }

    /// Errors that make every other request fail too.
    static func isFatal(_ error: AWSServiceError) -> Bool {
        [.expiredCredentials, .invalidCredentials, .badSignature, .unreachable, .malformedReply].contains(error.kind)
    }

    func record(_ value: SecretsManagerAPI.SecretValue, kind: SecretKind, id: String,
                entry: SecretsManagerAPI.SecretEntry?) -> TierRecord {
        let meta = metadata(entry: entry, value: value)
        guard let text = value.secretString else {
            return TierRecord(kind: kind, name: value.name, suggestedID: id,
                              state: .unreadable(reason: value.isBinary
                                  ? "a binary secret (SecretBinary); Airflow reads only SecretString, so it asks the next tier"
                                  : "the secret has no current value"),
                              metadata: meta)
        }
        let mapping = self.mapping
        let state = StoredValueReading.state(kind: kind, text: text, dialect: dialect) { try mapping.connectionValue(fromSecret: $0) }
        return TierRecord(kind: kind, name: value.name, suggestedID: id, state: state, rawText: text, metadata: meta)
    }

    func metadata(entry: SecretsManagerAPI.SecretEntry?, value: SecretsManagerAPI.SecretValue?) -> [String: String] {
        var meta = ["region": settings.region]
        if let arn = value?.arn ?? entry?.arn { meta["arn"] = arn }
        if let version = value?.versionID { meta["version_id"] = version }
        if let stages = value?.stages, !stages.isEmpty { meta["version_stages"] = stages.joined(separator: ",") }
        else if let version = value?.versionID, let stages = entry?.versionStages[version] {
            meta["version_stages"] = stages.joined(separator: ",")
        }
        if let changed = entry?.lastChanged { meta["last_changed"] = changed.iso8601 }
        if let created = value?.created ?? entry?.created { meta["created"] = created.iso8601 }
        return meta
    }
}
