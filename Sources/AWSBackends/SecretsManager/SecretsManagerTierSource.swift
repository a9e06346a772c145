import Foundation
import Engine

/// The AWS Secrets Manager tier: lists the secrets under the connections and variables
/// prefixes (every page) and reads their current values 20 at a time, as Airflow names them.
public struct SecretsManagerTierSource: TierSource {
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

    public func lookupName(for key: SecretKey) -> LookupName {
        settings.naming.lookupName(for: key)
    }

    public func load() async throws -> TierSnapshot {
        do { return try await loadSnapshot() } catch { throw error.asAWSTierError }
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

    private func loadSnapshot() async throws -> TierSnapshot {
        let naming = settings.naming
        var warnings = settings.warnings
        let prefixes = SecretKind.allCases.filter(naming.isEnabled).compactMap(naming.listingPrefix(for:))
        let listings = prefixes.contains("") ? [""] : Array(Set(prefixes)).sorted()
        var entries: [String: SecretsManagerAPI.SecretEntry] = [:]
        for prefix in listings {
            do {
                for entry in try await api.listSecrets(prefix: prefix).entries { entries[entry.name] = entry }
            } catch let error as AWSServiceError where error.kind == .accessDenied {
                throw TierError(error.description + " Strata lists secrets to browse them (secretsmanager:ListSecrets); "
                    + "Airflow itself only needs GetSecretValue.")
            }
        }
        var candidates: [(kind: SecretKind, name: String, id: String)] = []
        for name in entries.keys.sorted() {
            for kind in SecretKind.allCases {
                guard let id = naming.id(fromName: name, kind: kind) else { continue }
                if case .skipped(let reason) = naming.lookupName(for: SecretKey(kind, id)) {
                    warnings.append("\(name) is never read by Airflow: \(reason).")
                    continue
                }
                candidates.append((kind, name, id))
            }
        }
        let values = try await readValues(Array(Set(candidates.map(\.name))).sorted(), warnings: &warnings)
        var records: [TierRecord] = []
        for candidate in candidates {
            switch values[candidate.name] {
            case .value(let value)?:
                records.append(record(value, kind: candidate.kind, id: candidate.id, entry: entries[candidate.name]))
            case .failed(let state)?:
                records.append(TierRecord(kind: candidate.kind, name: candidate.name, suggestedID: candidate.id, state: state,
                                          metadata: metadata(entry: entries[candidate.name], value: nil)))
            case nil:
                continue  // deleted between listing and reading; warned about
            }
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    enum ReadOutcome: Sendable {
        case value(SecretsManagerAPI.SecretValue)
        case failed(EntryState)
    }

    /// Current values by name: BatchGetSecretValue 20 at a time, or GetSecretValue one by one
    /// when the batch call is not allowed or not available.
    private func readValues(_ names: [String], warnings: inout [String]) async throws -> [String: ReadOutcome] {
        guard !names.isEmpty else { return [:] }
        let batches = stride(from: 0, to: names.count, by: 20).map { Array(names[$0..<min($0 + 20, names.count)]) }
        var outcomes: [String: ReadOutcome] = [:]
        var notFound: [String] = []
        // The first batch decides whether batching works for these credentials.
        let first = await batch(batches[0])
        var remaining = Array(batches.dropFirst())
        var useBatch = true
        switch first {
        case .success(let result): merge(result, into: &outcomes, notFound: &notFound)
        case .failure(let error) where Self.batchUnavailable(error):
            useBatch = false
            warnings.append("BatchGetSecretValue is not available (\(error.code)); Strata reads secrets one by one "
                + "with GetSecretValue, as Airflow does.")
            remaining = batches
        case .failure(let error):
            throw error
        }
        if useBatch {
            let results = await mapBounded(remaining, limit: concurrency) { await self.batch($0) }
            for (names, result) in zip(remaining, results) {
                switch result {
                case .success(let result): merge(result, into: &outcomes, notFound: &notFound)
                case .failure(let error) where Self.isFatal(error): throw error
                case .failure(let error):
                    for name in names { outcomes[name] = .failed(StoredValueReading.unreadable(error, resource: name)) }
                }
            }
        } else {
            let flat = remaining.flatMap { $0 }
            let api = self.api
            let results = await mapBounded(flat, limit: concurrency) { name -> Result<SecretsManagerAPI.SecretValue, AWSServiceError> in
                do { return .success(try await api.getSecretValue(name)) }
                catch let error as AWSServiceError { return .failure(error) }
                catch { return .failure(AWSServiceError(kind: .other, code: "\(type(of: error))", service: .secretsManager,
                                                        operation: "GetSecretValue", status: 0, serviceMessage: "")) }
            }
            for (name, result) in zip(flat, results) {
                switch result {
                case .success(let value): outcomes[name] = .value(value)
                case .failure(let error) where error.kind == .notFound: notFound.append(name)
                case .failure(let error) where Self.isFatal(error): throw error
                case .failure(let error): outcomes[name] = .failed(Self.itemState(error, name: name))
                }
            }
        }
        if !notFound.isEmpty {
            warnings.append("\(notFound.count) secret(s) disappeared between listing and reading: "
                + notFound.prefix(5).joined(separator: ", ") + (notFound.count > 5 ? ", …" : ""))
        }
        return outcomes
    }

    private func batch(_ names: [String]) async -> Result<(values: [SecretsManagerAPI.SecretValue], errors: [SecretsManagerAPI.BatchError]), AWSServiceError> {
        do { return .success(try await api.batchGetSecretValue(names)) }
        catch let error as AWSServiceError { return .failure(error) }
        catch { return .failure(AWSServiceError(kind: .other, code: "\(type(of: error))", service: .secretsManager,
                                                operation: "BatchGetSecretValue", status: 0, serviceMessage: "")) }
    }

    private func merge(_ result: (values: [SecretsManagerAPI.SecretValue], errors: [SecretsManagerAPI.BatchError]),
                       into outcomes: inout [String: ReadOutcome], notFound: inout [String]) {
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
            outcomes[name] = .failed(Self.itemState(failure, name: name))
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
