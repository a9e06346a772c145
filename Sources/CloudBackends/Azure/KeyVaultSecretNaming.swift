import Engine

/// How Airflow's `AzureKeyVaultBackend` names secrets: trailing `sep` characters are stripped
/// from each prefix, the name is `prefix + sep + id` (just `id` for an empty prefix), then every
/// `_` becomes `sep`. Names outside Key Vault's rule are skipped, as provider 15.x skips them.
public struct KeyVaultSecretNaming: Sendable, Hashable {
    /// Prefixes after Airflow's `rstrip(sep)`; nil switches a kind off.
    public var connectionsPrefix: String?
    public var variablesPrefix: String?
    public var separator: String

    public init(connectionsPrefix: String? = "airflow-connections",
                variablesPrefix: String? = "airflow-variables", separator: String = "-") {
        self.separator = separator
        self.connectionsPrefix = connectionsPrefix.map { $0.pythonRStrip(separator) }
        self.variablesPrefix = variablesPrefix.map { $0.pythonRStrip(separator) }
    }

    /// Key Vault's object-name rule: 1 to 127 letters, digits and dashes.
    public static func isValidSecretName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 127 && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
        }
    }

    public func prefix(for kind: SecretKind) -> String? {
        kind == .connection ? connectionsPrefix : variablesPrefix
    }

    /// Airflow's `build_path`: `prefix + sep + id`, or `id` alone for an empty prefix; then `_` → sep.
    public func buildPath(prefix: String, id: String) -> String {
        let path = prefix.isEmpty ? id : prefix + separator + id
        return path.replacingOccurrences(of: "_", with: separator)
    }

    /// The secret name Airflow asks for, or why it never asks.
    public func lookupName(for key: SecretKey) -> LookupName {
        guard let prefix = prefix(for: key.kind) else {
            let option = key.kind == .connection ? "connections_prefix" : "variables_prefix"
            return .skipped(reason: "\(option) is null, so Airflow never looks \(key.kind.rawValue)s up in Key Vault")
        }
        let name = buildPath(prefix: prefix, id: key.id)
        guard Self.isValidSecretName(name) else {
            return .skipped(reason: "\"\(name)\" is not a valid Key Vault secret name (1-127 letters, digits and '-'); "
                            + "Airflow logs a warning and does not ask Key Vault")
        }
        return .name(name)
    }

    /// The start every name of `kind` has, after normalisation ("" for an empty prefix).
    public func namePrefix(for kind: SecretKind) -> String? {
        guard let prefix = prefix(for: kind) else { return nil }
        return prefix.isEmpty ? "" : buildPath(prefix: prefix, id: "")
    }

    /// The id to show for a stored name of `kind` (`_` cannot be recovered: Key Vault names hold
    /// dashes only), when the name has that kind's prefix.
    public func suggestedID(forSecretName name: String, kind: SecretKind) -> String? {
        guard let start = namePrefix(for: kind), name.hasPrefix(start), name.count > start.count else { return nil }
        return String(name.dropFirst(start.count))
    }
}
