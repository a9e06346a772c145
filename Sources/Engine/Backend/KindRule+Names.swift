extension KindRule {
    /// Every name Airflow asks for `id`, in order.
    func names(for id: String) -> [LookupName] {
        switch self {
        case .disabled(let reason), .broken(let reason), .unknown(let reason):
            return [.skipped(reason: reason)]
        case .secretsManager(let prefix, let sep, let pattern):
            if let refusal = pattern?.refusal(of: id) { return [.skipped(reason: refusal)] }
            return [.name(prefix.isEmpty ? id : prefix + sep + id)]
        case .ssm(let prefix, let pattern):
            if let refusal = pattern?.refusal(of: id) { return [.skipped(reason: refusal)] }
            return [.name(Self.ssmName(prefix: prefix, id: id))]
        case .gcp(let prefix, let sep):
            return [Self.gcpName(prefix + sep + id)]
        case .azure(let prefix, let sep):
            return [Self.azureName(Self.azureBuild(prefix: prefix, sep: sep, id: id))]
        case .vault(let basePaths, let settings):
            return basePaths.map { base in
                switch Self.vaultLocation(base: base, id: id, settings: settings) {
                case .success(let location): return .name(location.logicalName)
                case .failure(let reason): return .skipped(reason: reason.text)
                }
            }
        case .localFile:
            return [.name(id)]
        }
    }

    /// The id whose lookup asks for `name`, or `nil`.
    func id(fromName name: String) -> String? {
        let candidate: String?
        switch self {
        case .disabled, .broken, .unknown:
            return nil
        case .secretsManager, .ssm, .gcp, .azure:
            guard let prefix = listingPrefix, name.hasPrefix(prefix) else { return nil }
            candidate = String(name.dropFirst(prefix.count))
        case .vault(let basePaths, let settings):
            candidate = basePaths.lazy.compactMap { Self.vaultID(fromName: name, base: $0, settings: settings) }.first
        case .localFile:
            candidate = name
        }
        guard let candidate, builtNames(for: candidate).contains(name) else { return nil }
        return candidate
    }

    /// The names `id` is built into, before any validity check or lookup pattern.
    private func builtNames(for id: String) -> [String] {
        switch self {
        case .disabled, .broken, .unknown: return []
        case .secretsManager(let prefix, let sep, _): return [prefix.isEmpty ? id : prefix + sep + id]
        case .ssm(let prefix, _): return [Self.ssmName(prefix: prefix, id: id)]
        case .gcp(let prefix, let sep): return [prefix + sep + id]
        case .azure(let prefix, let sep): return [Self.azureBuild(prefix: prefix, sep: sep, id: id)]
        case .vault: return names(for: id).compactMap(\.name)
        case .localFile: return [id]
        }
    }

    /// The text every name of the kind starts with, or `nil` when the kind is not looked up.
    var listingPrefix: String? {
        switch self {
        case .disabled, .broken, .unknown: return nil
        case .secretsManager(let prefix, let sep, _): return prefix.isEmpty ? "" : prefix + sep
        case .ssm(let prefix, _): return Self.ssmName(prefix: prefix, id: "")
        case .gcp(let prefix, let sep): return prefix + sep
        case .azure(let prefix, let sep): return prefix.isEmpty ? "" : (prefix + sep).replacingUnderscores(with: sep)
        case .vault(let basePaths, let settings):
            guard let mount = settings.mountPoint, let base = basePaths.first else { return nil }
            return mount + "/" + (base.isEmpty ? "" : base + "/")
        case .localFile: return ""
        }
    }

    // MARK: Family rules

    /// `build_path(prefix, id)` = `prefix + "/" + id`, then a leading `/` if missing.
    static func ssmName(prefix: String, id: String) -> String {
        let path = prefix + "/" + id
        return path.hasPrefix("/") ? path : "/" + path
    }

    static func gcpName(_ name: String) -> LookupName {
        let bad = Self.distinctScalars(in: name) { !GCPSecretNames.isAllowed($0) }
        if !bad.isEmpty {
            return .skipped(reason: "Secret Manager rejects names with characters other than letters, digits, "
                + "'-' and '_' (this one has \(bad)); Airflow logs the INVALID_ARGUMENT error and falls through "
                + "to the next tier")
        }
        if name.unicodeScalars.count > GCPSecretNames.maximumLength {
            return .skipped(reason: "Secret Manager rejects secret ids longer than \(GCPSecretNames.maximumLength) "
                + "characters (this one has \(name.unicodeScalars.count)); Airflow logs the INVALID_ARGUMENT "
                + "error and falls through to the next tier")
        }
        return .name(name)
    }

    /// Azure's `build_path`: the id alone for an empty prefix, else `prefix + sep + id`; then
    /// every `_` of the whole name becomes `sep`.
    static func azureBuild(prefix: String, sep: String, id: String) -> String {
        (prefix.isEmpty ? id : prefix + sep + id).replacingUnderscores(with: sep)
    }

    /// azure provider 15.x: names must fully match `[0-9a-zA-Z-]{1,127}` or no request is made.
    static func azureName(_ name: String) -> LookupName {
        let bad = distinctScalars(in: name) { s in
            !(("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "-")
        }
        let length = name.unicodeScalars.count
        if !bad.isEmpty || length == 0 || length > 127 {
            var why: [String] = []
            if !bad.isEmpty { why.append("it has \(bad)") }
            if length == 0 { why.append("it is empty") }
            if length > 127 { why.append("it is \(length) characters long") }
            return .skipped(reason: "Key Vault names are 1–127 letters, digits and '-' (\(why.joined(separator: ", "))); "
                + "Airflow logs a warning and does not ask Key Vault")
        }
        return .name(name)
    }

    struct VaultFailure: Error { var text: String }

    /// `VaultBackend._get_secret_with_base` followed by `_VaultClient._parse_secret_path`.
    static func vaultLocation(base: String, id: String, settings: VaultNamingSettings)
        -> Result<VaultSecretLocation, VaultFailure> {
        if let mount = settings.mountPoint {
            let path = base.isEmpty ? id : base + "/" + id
            return .success(VaultSecretLocation(mount: mount, path: path, kvEngineVersion: settings.kvEngineVersion))
        }
        // mount_point null: the key's first segment is the mount.
        guard let slash = id.firstIndex(of: "/") else {
            return .failure(VaultFailure(text: "mount_point is null, so a key must be <mount>/<path>; "
                + "Airflow does not look up a key without '/'"))
        }
        let keyMount = String(id[..<slash]), rest = String(id[id.index(after: slash)...])
        let secretPath = base.isEmpty ? rest : base + "/" + rest
        let full = (keyMount.isEmpty ? "" : keyMount + "/") + secretPath
        guard let split = full.firstIndex(of: "/") else {
            return .failure(VaultFailure(text: "the path \(full.debugDescription) has no mount segment; "
                + "the Vault client treats it as not found"))
        }
        return .success(VaultSecretLocation(mount: String(full[..<split]),
                                            path: String(full[full.index(after: split)...]),
                                            kvEngineVersion: settings.kvEngineVersion))
    }

    static func vaultID(fromName name: String, base: String, settings: VaultNamingSettings) -> String? {
        if let mount = settings.mountPoint {
            let prefix = mount + "/" + (base.isEmpty ? "" : base + "/")
            return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : nil
        }
        guard let slash = name.firstIndex(of: "/") else { return nil }
        let keyMount = String(name[..<slash]), rest = name[name.index(after: slash)...]
        if base.isEmpty { return keyMount + "/" + rest }
        guard rest.hasPrefix(base + "/") else { return nil }
        return keyMount + "/" + rest.dropFirst(base.count + 1)
    }

    /// The distinct offending characters of `text`, quoted, for a message: `'.', '/'`.
    static func distinctScalars(in text: String, where isBad: (Unicode.Scalar) -> Bool) -> String {
        var seen: [Unicode.Scalar] = []
        for s in text.unicodeScalars where isBad(s) && !seen.contains(s) { seen.append(s) }
        return seen.prefix(5).map { s in
            s.properties.isWhitespace || s.value < 0x20 ? "U+" + String(s.value, radix: 16, uppercase: true)
                : "'\(Character(s))'"
        }.joined(separator: ", ")
    }
}

extension BackendNaming {
    /// Where Vault reads `key` from, one location per base path in lookup order; empty when
    /// the backend is not Vault or never looks the key up (also a multi-team refusal).
    public func vaultLocations(for key: SecretKey) -> [VaultSecretLocation] {
        let rule = rule(for: key.kind)
        guard case .vault(let basePaths, let settings) = rule, teamRefusal(of: key.id, rule: rule) == nil else { return [] }
        return basePaths.compactMap { try? KindRule.vaultLocation(base: $0, id: key.id, settings: settings).get() }
    }

    /// The HTTP path hvac requests for `key` first (`/v1/secret/data/connections/my_db` on KV v2).
    public func vaultAPIPath(for key: SecretKey) -> String? {
        vaultLocations(for: key).first?.apiPath
    }
}

private extension String {
    func replacingUnderscores(with sep: String) -> String {
        var out = ""
        for c in unicodeScalars {
            if c == "_" { out += sep } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
