import RemoteSupport
import Foundation
import PythonCompat
import Engine

/// The HashiCorp Vault (or OpenBao) tier: lists the connections and variables paths of the KV
/// mount recursively, then reads every secret's latest version as Airflow would.
public struct VaultTierSource: TierSource {
    public let descriptor: TierDescriptor
    public let settings: VaultSettings
    public let client: VaultClient
    let dialect: ConnectionDialect
    /// Requests in flight at once while listing and reading.
    let concurrency: Int
    /// Names asked for per LIST page (OpenBao pages; HashiCorp Vault returns everything).
    let pageSize: Int

    init(settings: VaultSettings, client: VaultClient, tier: TierID, dialect: ConnectionDialect,
         concurrency: Int, pageSize: Int) {
        self.settings = settings
        self.client = client
        self.dialect = dialect
        self.concurrency = max(1, concurrency)
        self.pageSize = max(1, pageSize)
        let mount = settings.vault.mountPoint.map { "\($0)/ (KV v\(settings.vault.kvEngineVersion))" }
            ?? "mount from each key (KV v\(settings.vault.kvEngineVersion))"
        descriptor = TierDescriptor(tier: tier, label: "HashiCorp Vault", detail: "\(settings.summary) · \(mount)")
    }

    public func lookupName(for key: SecretKey) -> LookupName {
        settings.naming.lookupName(for: key)
    }

    // MARK: Single reads

    /// What Airflow reads for `key`: the first base path whose latest version exists, or `nil`.
    public func read(_ key: SecretKey) async throws -> VaultSecret? {
        for location in settings.naming.vaultLocations(for: key) {
            if let secret = try await client.readSecret(location) { return secret }
        }
        return nil
    }

    /// What Airflow's `get_config(key)` returns: the `value` of `<config_path>/<key>`, or `nil`
    /// (also when config_path is null).
    public func configValue(_ key: String) async throws -> String? {
        guard let paths = settings.configPaths else { return nil }
        let vault = settings.vault
        for base in paths {
            let location: VaultSecretLocation
            if let mount = vault.mountPoint {
                location = VaultSecretLocation(mount: mount, path: base.isEmpty ? key : base + "/" + key,
                                               kvEngineVersion: vault.kvEngineVersion)
            } else {
                guard let slash = key.firstIndex(of: "/") else { return nil }
                let rest = String(key[key.index(after: slash)...])
                location = VaultSecretLocation(mount: String(key[..<slash]), path: base.isEmpty ? rest : base + "/" + rest,
                                               kvEngineVersion: vault.kvEngineVersion)
            }
            if let secret = try await client.readSecret(location) {
                if case .string(let text)? = secret.data["value"] { return text }
                return secret.data["value"].map { $0.pythonDumps() }
            }
        }
        return nil
    }

    // MARK: Loading

    public func load() async throws -> TierSnapshot {
        do {
            return try await loadSnapshot()
        } catch {
            throw error.asVaultTierError
        }
    }

    private func loadSnapshot() async throws -> TierSnapshot {
        var warnings = settings.warnings
        let vault = settings.vault
        let mounts = try await mountsToList(warnings: &warnings)
        let listing = VaultListingMode()

        // Every (mount, base) folder tree once, even when both kinds share it.
        var trees: [String: [String: VaultKeyMetadata?]] = [:]
        var listed = Set<String>()
        var metadataByName: [String: VaultKeyMetadata] = [:]
        var deniedKinds: [SecretKind: VaultFailure] = [:]
        for kind in SecretKind.allCases.sorted() {
            guard let bases = kind == .connection ? vault.connectionsPaths : vault.variablesPaths else { continue }
            for base in bases {
                for mount in mounts {
                    let treeKey = mount + "\u{0}" + base
                    if trees[treeKey] == nil {
                        do {
                            trees[treeKey] = try await listTree(mount: mount, base: base, listing: listing)
                        } catch let failure as VaultFailure where failure.kind == .permissionDenied {
                            deniedKinds[kind] = deniedKinds[kind] ?? failure
                            trees[treeKey] = [:]
                        }
                    }
                    for (relative, metadata) in trees[treeKey] ?? [:] {
                        let name = mount + "/" + (base.isEmpty ? "" : base + "/") + relative
                        listed.insert(name)
                        if let metadata { metadataByName[name] = metadata }
                    }
                }
            }
        }
        for (kind, failure) in deniedKinds.sorted(by: { $0.key < $1.key }) {
            warnings.append("\(kind == .connection ? "connections" : "variables") cannot be listed: \(failure.message) "
                            + "Airflow itself only needs \"read\"; Strata needs \"list\" to browse.")
        }
        let enabledKinds = SecretKind.allCases.filter { (($0 == .connection ? vault.connectionsPaths : vault.variablesPaths) ?? []).isEmpty == false }
        if !enabledKinds.isEmpty, !mounts.isEmpty, enabledKinds.allSatisfy({ deniedKinds[$0] != nil }),
           let failure = deniedKinds[enabledKinds[0]] {
            throw failure
        }

        // Each listed name, as the id whose lookup asks for it, with every base path holding it.
        struct Candidate: Sendable {
            var key: SecretKey
            var locations: [VaultSecretLocation]
        }
        var candidates: [Candidate] = []
        var seenKeys = Set<SecretKey>()
        for name in listed.sorted() {
            for kind in SecretKind.allCases.sorted() {
                guard let id = settings.naming.id(fromName: name, kind: kind) else { continue }
                let key = SecretKey(kind, id)
                guard seenKeys.insert(key).inserted else { continue }
                let locations = settings.naming.vaultLocations(for: key).filter { listed.contains($0.logicalName) }
                if !locations.isEmpty { candidates.append(Candidate(key: key, locations: locations)) }
            }
        }

        let client = self.client
        // As wide as the server takes.
        let outcomes = await mapAdaptively(candidates, window: .reads(concurrency: concurrency), isPushback: { outcome in
            if case .failure(let failure) = outcome { return failure.kind == .server || failure.kind == .unreachable }
            return false
        }) { candidate -> Result<VaultSecret?, VaultFailure> in
            do {
                for location in candidate.locations {
                    if let secret = try await client.readSecret(location) { return .success(secret) }
                }
                return .success(nil)
            } catch let failure as VaultFailure {
                return .failure(failure)
            } catch {
                return .failure(VaultFailure(.server, "reading \(candidate.locations[0].logicalName) failed (\(type(of: error)))"))
            }
        }

        var records: [TierRecord] = []
        for (candidate, outcome) in zip(candidates, outcomes) {
            let key = candidate.key
            let name = settings.naming.lookupName(for: key).name ?? candidate.locations[0].logicalName
            switch outcome {
            case .success(nil):
                warnings.append("\(candidate.locations[0].logicalName) is listed but its latest version is deleted or destroyed; "
                                + "Airflow treats it as absent.")
            case .success(let secret?):
                var metadata = secret.metadata
                if let listed = metadataByName[secret.location.logicalName] {
                    metadata["created"] = listed.createdTime ?? metadata["created"]
                    metadata["updated"] = listed.updatedTime ?? metadata["updated"]
                    if let current = listed.currentVersion { metadata["current_version"] = String(current) }
                } else if secret.version == 1, let updated = secret.updatedTime {
                    metadata["created"] = updated
                }
                if secret.location.logicalName != name { metadata["found_at"] = secret.location.logicalName }
                let mapped = key.kind == .connection ? secret.connectionState(dialect: dialect) : secret.variableState()
                metadata.merge(mapped.notes) { _, new in new }
                records.append(TierRecord(kind: key.kind, name: name, suggestedID: key.id, state: mapped.state,
                                          rawText: mapped.rawText, metadata: metadata))
            case .failure(let failure):
                switch failure.kind {
                case .sealed, .uninitialized, .unreachable, .tls, .authentication:
                    throw failure
                default:
                    records.append(TierRecord(kind: key.kind, name: name, suggestedID: key.id,
                                              state: .unreadable(reason: failure.message + " Airflow's lookup raises, logs it "
                                                                 + "and moves on to the next tier."),
                                              metadata: ["mount": candidate.locations[0].mount, "path": candidate.locations[0].path]))
                }
            }
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    /// The mounts to list: the configured one after checking it is a KV engine of the
    /// configured version, or (mount_point null) every KV mount of that version the token sees.
    private func mountsToList(warnings: inout [String]) async throws -> [String] {
        let vault = settings.vault
        if let mount = vault.mountPoint {
            switch try await client.mountInfo(mount) {
            case nil:
                warnings.append("Strata could not check that \(mount)/ is a KV v\(vault.kvEngineVersion) mount "
                                + "(the token may read neither sys/internal/ui/mounts/\(mount) nor sys/mounts).")
            case let info?:
                guard let version = info.kvVersion else {
                    throw VaultFailure(.wrongMount, "\(mount)/ is a \(info.type) engine, not a KV store: Airflow's lookups there "
                                       + "fail and it moves on to the next tier. Check mount_point.")
                }
                if version != vault.kvEngineVersion {
                    throw VaultFailure(.wrongMount, VaultClient.versionMismatch(mount: mount, actual: version,
                                                                                configured: vault.kvEngineVersion))
                }
            }
            return [mount]
        }
        do {
            let mounts = try await client.kvMounts()
            let matching = mounts.filter { $0.value.kvVersion == vault.kvEngineVersion }.keys.sorted()
            let other = mounts.filter { $0.value.kvVersion != vault.kvEngineVersion }.keys.sorted()
            if !other.isEmpty {
                warnings.append("mount_point is null: keys naming \(other.map { $0 + "/" }.joined(separator: ", ")) are not "
                                + "listed, because those mounts are not KV v\(vault.kvEngineVersion).")
            }
            return matching
        } catch let failure as VaultFailure where failure.kind == .permissionDenied {
            warnings.append("mount_point is null, so each key names its mount, and the token may not list mounts "
                            + "(sys/internal/ui/mounts): Strata cannot browse this backend.")
            return []
        }
    }

    /// Every secret under `<mount>/<base>/`, by path relative to the base, listing one level
    /// of folders at a time with bounded concurrency.
    private func listTree(mount: String, base: String, listing: VaultListingMode) async throws -> [String: VaultKeyMetadata?] {
        var found: [String: VaultKeyMetadata?] = [:]
        var frontier = [""]
        let client = self.client, kv = settings.vault.kvEngineVersion, pageSize = self.pageSize
        while !frontier.isEmpty {
            let results = await mapConcurrently(frontier, limit: concurrency) { relative -> Result<[VaultListEntry], VaultFailure> in
                let folder = base.isEmpty ? relative : (relative.isEmpty ? base : base + "/" + relative)
                do {
                    return .success(try await client.listFolder(mount: mount, folder: folder.strippingTrailingSlashes,
                                                                kvVersion: kv, pageSize: pageSize, listing: listing))
                } catch let failure as VaultFailure {
                    return .failure(failure)
                } catch {
                    return .failure(VaultFailure(.server, "listing \(mount)/\(folder) failed (\(type(of: error)))"))
                }
            }
            var next: [String] = []
            for (relative, result) in zip(frontier, results) {
                for entry in try result.get() {
                    let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
                    if entry.isFolder {
                        next.append(path.strippingTrailingSlashes)
                    } else {
                        found[path] = entry.metadata
                    }
                }
            }
            frontier = next
        }
        return found
    }
}
