import Engine

/// How Airflow's `CloudSecretManagerBackend` names secrets: `prefix + sep + id` (the base
/// class's `build_path`, so an empty prefix still gives a leading separator), with `None`
/// prefixes switching a kind off.
public struct GCPSecretNaming: Sendable, Hashable {
    public var connectionsPrefix: String?
    public var variablesPrefix: String?
    public var separator: String

    public init(connectionsPrefix: String? = "airflow-connections",
                variablesPrefix: String? = "airflow-variables", separator: String = "-") {
        self.connectionsPrefix = connectionsPrefix
        self.variablesPrefix = variablesPrefix
        self.separator = separator
    }

    /// Secret Manager's secret id rule: letters, digits, `_` and `-`, 1 to 255 characters.
    public static func isValidSecretID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 255 && id.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                               || scalar == "_" || scalar == "-")
        }
    }

    /// The check Airflow runs when the backend is created: `connections_prefix + sep` may hold
    /// only letters, digits, `-` and `_` (only when connections_prefix is not null).
    public func validate() throws {
        guard let prefix = connectionsPrefix else { return }
        let combined = prefix + separator
        let allowed = combined.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                               || scalar == "_" || scalar == "-")
        }
        if !allowed {
            throw TierError("connections_prefix + sep (\"\(combined)\") may only contain letters, digits, '-' and '_'; "
                            + "Airflow refuses to start CloudSecretManagerBackend with it. Fix connections_prefix or sep "
                            + "in the backend kwargs.")
        }
    }

    /// The prefix for `kind`, or nil when that kind is switched off.
    public func prefix(for kind: SecretKind) -> String? {
        kind == .connection ? connectionsPrefix : variablesPrefix
    }

    /// The start every secret id of `kind` has (`prefix + sep`), or nil when the kind is off.
    public func namePrefix(for kind: SecretKind) -> String? {
        prefix(for: kind).map { $0 + separator }
    }

    /// The secret id Airflow asks for, or why it never asks.
    public func lookupName(for key: SecretKey) -> LookupName {
        guard let start = namePrefix(for: key.kind) else {
            let option = key.kind == .connection ? "connections_prefix" : "variables_prefix"
            return .skipped(reason: "\(option) is null, so Airflow never looks \(key.kind.rawValue)s up in Secret Manager")
        }
        let id = start + key.id
        guard Self.isValidSecretID(id) else {
            return .skipped(reason: "\"\(id)\" is not a valid Secret Manager secret id (letters, digits, '-', '_', "
                            + "at most 255 characters); Airflow's request fails with INVALID_ARGUMENT and it moves on to the next tier")
        }
        return .name(id)
    }

    /// The key `secretID` stores for `kind`, when it has that kind's prefix.
    public func key(forSecretID secretID: String, kind: SecretKind) -> SecretKey? {
        guard let start = namePrefix(for: kind), secretID.hasPrefix(start), secretID.count > start.count else { return nil }
        return SecretKey(kind, String(secretID.dropFirst(start.count)))
    }
}
