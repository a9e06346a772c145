import Foundation
import PythonCompat

/// The naming scheme of a configured backend: the exact name Airflow asks the service for when
/// a DAG looks a key up, the reverse (name → id) for listing, and a one-line description.
///
/// Built from the kwargs alone (no I/O). In Airflow 3.2+ multi-team mode (`teams`) the names
/// follow the provider's team rules: `<team>--<id>` before the global name (Secrets Manager,
/// SSM, GCP, Key Vault), `<base>/<team>/<key>` instead of `<base>/<key>` (Vault), and the ids
/// that could spell another team's name refused.
public struct BackendNaming: Sendable {
    public let family: BackendFamily?
    public let version: AirflowVersion
    /// Multi-team mode and the team lookups are made for.
    public let teams: TeamLookup
    let connections: KindRule
    let variables: KindRule
    /// Vault's engine settings, when the backend is Vault.
    public let vault: VaultNamingSettings?
    /// Vault's `use_team_secrets_path` (default true).
    let usesTeamSecretsPath: Bool
    /// Settings that stop lookups from working (a prefix that is not a string…), for the report.
    public let problems: [String]

    public init(configuration: BackendConfiguration, version: AirflowVersion = .v3, teams: TeamLookup = .off) {
        self.family = configuration.family
        self.version = version
        self.teams = version == .v3 ? teams : .off
        let built = NamingRuleBuilder(kwargs: configuration.kwargs, version: version, teams: self.teams)
            .build(family: configuration.family, classPath: configuration.classPath)
        self.connections = built.connections
        self.variables = built.variables
        self.vault = built.vault
        self.usesTeamSecretsPath = built.usesTeamSecretsPath
        self.problems = built.problems
    }

    /// The exact name Airflow looks `key` up under (for Vault, the first of its base paths, as
    /// `mount/path/id`), or why it never asks the service.
    public func lookupName(for key: SecretKey) -> LookupName {
        lookupCandidates(for: key).first ?? .skipped(reason: "no lookup path is configured")
    }

    /// Every name Airflow tries for `key`, in order; the first that holds data wins. Vault with a
    /// list of base paths (provider 4.x) has one per path; a multi-team lookup with a team has
    /// the team's name before the global one.
    public func lookupCandidates(for key: SecretKey) -> [LookupName] {
        let rule = rule(for: key.kind)
        if let refusal = teamRefusal(of: key.id, rule: rule) { return [.skipped(reason: refusal)] }
        let names = rule.names(for: key.id)
        if let team = teams.team, let teamName = rule.teamName(for: key.id, team: team) { return [teamName] + names }
        return names
    }

    /// Whether `name` is a name Airflow asks for when looking up `key` — the way to match a
    /// listed secret to a key another tier holds (Azure's `_`→`-` makes this many-to-one).
    public func matches(name: String, key: SecretKey) -> Bool {
        lookupCandidates(for: key).contains(.name(name))
    }

    /// The id whose lookup asks for `name`, for listing a service: the prefix and separator
    /// stripped. `nil` when the name is outside the kind's namespace or the kind is disabled.
    ///
    /// Azure is ambiguous: Airflow turns every `_` of an id into `sep`, so `my_db` and `my-db`
    /// both ask for `airflow-connections-my-db`; the id returned keeps the name's characters
    /// (`my-db`). Use `matches(name:key:)` to pair it with a key from another tier. For an
    /// empty prefix every name in the service is a candidate of both kinds.
    public func id(fromName name: String, kind: SecretKind) -> String? {
        let rule = rule(for: kind)
        if let team = teams.team, let id = rule.id(fromTeamName: name, team: team) { return id }
        return rule.id(fromName: name)
    }

    /// The text every name of `kind` starts with (for a service's list filter), or `nil` when
    /// the kind is disabled. Vault: the first `mount/base/` (mount-per-key mode: `nil`).
    public func listingPrefix(for kind: SecretKind) -> String? {
        rule(for: kind).listingPrefix
    }

    /// Whether Airflow ever asks this backend for `kind`.
    public func isEnabled(_ kind: SecretKind) -> Bool {
        if case .disabled = rule(for: kind) { return false }
        if case .unknown = rule(for: kind) { return false }
        return true
    }

    func rule(for kind: SecretKind) -> KindRule {
        kind == .connection ? connections : variables
    }
}

/// How one kind (connections or variables) is named by one backend.
enum KindRule: Sendable {
    case disabled(reason: String)
    /// A setting that makes every lookup of this kind fail (Airflow falls through).
    case broken(reason: String)
    case unknown(reason: String)
    /// Secrets Manager: prefix (already stripped of trailing sep chars), sep, lookup pattern.
    case secretsManager(prefix: String, sep: String, pattern: LookupPattern?)
    /// SSM: prefix (stripped of trailing `/`), lookup pattern.
    case ssm(prefix: String, pattern: LookupPattern?)
    case gcp(prefix: String, sep: String)
    /// Azure: prefix (stripped of trailing sep chars), sep.
    case azure(prefix: String, sep: String)
    /// Vault: base paths in order.
    case vault(basePaths: [String], settings: VaultNamingSettings)
    /// LocalFilesystemBackend: the id is the key in `file`.
    case localFile(file: String)
}

/// A `*_lookup_pattern` kwarg.
struct LookupPattern: Sendable {
    var kwarg: String
    var value: JSONValue
    var regex: PythonRegexMatch?

    init(kwarg: String, value: JSONValue) {
        self.kwarg = kwarg
        self.value = value
        self.regex = value.stringValue.map { PythonRegexMatch(pattern: $0) }
    }

    /// Why the id is not looked up, or `nil` when it is.
    func refusal(of id: String) -> String? {
        guard let regex else {
            return "\(kwarg) is not a string; the lookup raises TypeError and Airflow falls through to the next tier"
        }
        switch regex.matchesAtStart(id) {
        case true?: return nil
        case false?:
            return "the id does not match \(kwarg) \(value.displayText) (re.match, ignoring case), so Airflow does not ask the service"
        case nil:
            return "\(kwarg) is not a valid regular expression; the lookup raises re.error and Airflow falls through to the next tier"
        }
    }
}

/// Vault's path settings, parsed from the kwargs.
public struct VaultNamingSettings: Sendable, Hashable {
    /// The KV mount, or `nil` when `mount_point` is null/empty and each key starts with its mount.
    public var mountPoint: String?
    /// 1 or 2.
    public var kvEngineVersion: Int
    /// Base paths of connections / variables in lookup order (`nil` = disabled).
    public var connectionsPaths: [String]?
    public var variablesPaths: [String]?
}

/// Where Vault reads one key from: the engine mount, the path inside it, and the HTTP request.
public struct VaultSecretLocation: Sendable, Hashable {
    public var mount: String
    public var path: String
    public var kvEngineVersion: Int

    public init(mount: String, path: String, kvEngineVersion: Int) {
        self.mount = mount
        self.path = path
        self.kvEngineVersion = kvEngineVersion
    }

    /// `mount/path`, as `vault kv get` takes it.
    public var logicalName: String { mount + "/" + path }

    /// The request path hvac sends (before the base URL): KV v2 `/v1/<mount>/data/<path>`,
    /// KV v1 `/v1/<mount>/<path>`; each part percent-encoded with `/` kept, then every `//`
    /// collapsed to `/`, as hvac does.
    public var apiPath: String {
        var url = kvEngineVersion == 1
            ? "/v1/\(mount.pythonURLQuoted)/\(path.pythonURLQuoted)"
            : "/v1/\(mount.pythonURLQuoted)/data/\(path.pythonURLQuoted)"
        while url.contains("//") { url = url.replacingOccurrences(of: "//", with: "/") }
        return url
    }
}
