import Foundation
import Engine

/// The AWS SSM Parameter Store tier: every parameter under the connections and variables
/// prefixes (GetParametersByPath, recursive, decrypted, every page), named as Airflow names them.
public struct ParameterStoreTierSource: AWSTierSource {
    public let descriptor: TierDescriptor
    public let settings: AWSBackendSettings
    let api: ParameterStoreAPI
    let dialect: ConnectionDialect

    init(settings: AWSBackendSettings, api: ParameterStoreAPI, tier: TierID, dialect: ConnectionDialect) {
        self.settings = settings
        self.api = api
        self.dialect = dialect
        descriptor = TierDescriptor(tier: tier, label: "AWS SSM Parameter Store", detail: settings.authSummary)
    }

    /// Reads one key as a DAG's lookup does (GetParameter with decryption); `nil` when absent.
    public func read(_ key: SecretKey) async throws -> TierRecord? {
        guard case .name(let name) = lookupName(for: key) else { return nil }
        do {
            guard let parameter = try await api.parameter(named: name) else { return nil }
            return record(parameter, kind: key.kind, id: key.id)
        } catch let error as AWSServiceError where error.kind == .accessDenied {
            return TierRecord(kind: key.kind, name: name, suggestedID: key.id,
                              state: StoredValueReading.unreadable(error, resource: name), metadata: ["region": settings.region])
        } catch {
            throw error.asAWSTierError
        }
    }

    /// Reads several keys with GetParameters (10 names per call).
    public func read(_ keys: [SecretKey]) async throws -> [SecretKey: TierRecord] {
        var byName: [String: SecretKey] = [:]
        for key in keys { if case .name(let name) = lookupName(for: key) { byName[name] = key } }
        let names = byName.keys.sorted()
        var result: [SecretKey: TierRecord] = [:]
        do {
            for start in stride(from: 0, to: names.count, by: 10) {
                for parameter in try await api.parameters(named: Array(names[start..<min(start + 10, names.count)])) {
                    guard let key = byName[parameter.name] else { continue }
                    result[key] = record(parameter, kind: key.kind, id: key.id)
                }
            }
        } catch { throw error.asAWSTierError }
        return result
    }

    public func loadSnapshot() async throws -> TierSnapshot {
        let naming = settings.naming
        var warnings = settings.warnings
        let prefixes = SecretKind.allCases.filter(naming.isEnabled).compactMap(naming.listingPrefix(for:))
        // "/airflow/connections/" → path "/airflow/connections"; a path that holds the other kind's path is enough.
        var paths = Set(prefixes.map { prefix -> String in
            let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
            return trimmed.isEmpty ? "/" : trimmed
        })
        for path in paths where paths.contains(where: { $0 != path && ($0 == "/" || path.hasPrefix($0 + "/")) }) {
            paths.remove(path)
        }
        // Each path's pages come one after another (a page names the next), so the paths —
        // connections and variables — are listed side by side.
        var parameters: [String: ParameterStoreAPI.Parameter] = [:]
        do {
            try await withThrowingTaskGroup(of: [ParameterStoreAPI.Parameter].self) { group in
                for path in paths.sorted() {
                    group.addTask { try await api.parametersByPath(path).parameters }
                }
                for try await listed in group {
                    for parameter in listed { parameters[parameter.name] = parameter }
                }
            }
        } catch let error as AWSServiceError where error.kind == .accessDenied {
            throw TierError(error.description + " Strata lists parameters by path to browse them "
                + "(ssm:GetParametersByPath, and kms:Decrypt for SecureString); Airflow itself only needs ssm:GetParameter.")
        }
        var records: [TierRecord] = []
        for name in parameters.keys.sorted() {
            for kind in SecretKind.allCases {
                guard let id = naming.id(fromName: name, kind: kind) else { continue }
                if case .skipped(let reason) = naming.lookupName(for: SecretKey(kind, id)) {
                    warnings.append("\(name) is never read by Airflow: \(reason).")
                    continue
                }
                records.append(record(parameters[name]!, kind: kind, id: id))
            }
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    func record(_ parameter: ParameterStoreAPI.Parameter, kind: SecretKind, id: String) -> TierRecord {
        var meta = ["region": settings.region, "type": parameter.type]
        if let version = parameter.version { meta["version"] = version }
        if let modified = parameter.lastModified { meta["last_changed"] = modified.iso8601 }
        if let arn = parameter.arn { meta["arn"] = arn }
        if let dataType = parameter.dataType { meta["data_type"] = dataType }
        return TierRecord(kind: kind, name: parameter.name, suggestedID: id,
                          state: StoredValueReading.state(kind: kind, text: parameter.value, dialect: dialect),
                          rawText: parameter.value, metadata: meta)
    }
}
