import PythonCompat
/// The environment-variables tier: `AIRFLOW_VAR_<KEY>` and `AIRFLOW_CONN_<CONN_ID>` in a
/// deployment's environment (never Strata's own process environment), read as Airflow's
/// `EnvironmentVariablesBackend` reads them.
public struct EnvironmentTier: TierSource {
    public static let variablePrefix = "AIRFLOW_VAR_"
    public static let connectionPrefix = "AIRFLOW_CONN_"

    public let environment: DeploymentEnvironment
    /// The parser Airflow applies to connection values in this process context.
    public let dialect: ConnectionDialect
    public let descriptor: TierDescriptor
    /// Multi-team mode and the deployment's team (Airflow 3.2+).
    public let teams: TeamLookup

    public init(environment: DeploymentEnvironment, dialect: ConnectionDialect,
                descriptor: TierDescriptor = TierDescriptor(tier: .env, label: "environment"),
                teams: TeamLookup = .off) {
        self.environment = environment
        self.dialect = dialect
        self.descriptor = descriptor
        self.teams = teams
    }

    /// Airflow reads only `prefix + id.upper()` (Python's Unicode upper-casing); no other
    /// transformation, so `my-db` is `AIRFLOW_CONN_MY-DB`. With a team it first reads the
    /// team's name, `prefix + "_" + TEAM + "___" + ID`; in multi-team mode an id holding `___`
    /// is refused outright, team or no team.
    public func lookupName(for key: SecretKey) -> LookupName {
        if teams.isMultiTeam, key.id.contains(Self.teamSeparator) {
            return .skipped(reason: "in multi-team mode ([core] multi_team) Airflow refuses ids containing '___', "
                            + "which separates a team from the id in AIRFLOW_VAR__<TEAM>___<KEY> names")
        }
        if let team = teams.team { return .name(Self.teamName(for: key, team: team)) }
        return .name(Self.name(for: key))
    }

    /// With a team, the global name is read when the team's name is unset or empty.
    public func globalLookupName(for key: SecretKey) -> LookupName? {
        guard teams.team != nil, !key.id.contains(Self.teamSeparator) else { return nil }
        return .name(Self.name(for: key))
    }

    /// Airflow takes a team's variable only when its value is non-empty (`if team_name and
    /// (team_var := os.environ.get(...))`); an empty one sends it on to the global name.
    public func passesOver(teamRecord record: TierRecord) -> Bool {
        guard let team = teams.team, case .empty = record.state else { return false }
        let prefix = record.kind == .variable ? Self.variablePrefix : Self.connectionPrefix
        return record.name.hasPrefix(prefix + "_" + team.pythonUpper + Self.teamSeparator)
    }

    /// What separates the team from the id in a team's name.
    public static let teamSeparator = "___"

    /// The team's environment variable name for `key`: `AIRFLOW_VAR__<TEAM>___<KEY>`.
    public static func teamName(for key: SecretKey, team: String) -> String {
        key.id.pythonUpper(prefixedWith: (key.kind == .variable ? variablePrefix : connectionPrefix) + "_" + team.pythonUpper + teamSeparator)
    }

    /// The environment variable name Airflow reads for `key`.
    public static func name(for key: SecretKey) -> String {
        key.id.pythonUpper(prefixedWith: key.kind == .variable ? variablePrefix : connectionPrefix)
    }

    public func load() async throws -> TierSnapshot {
        snapshot()
    }

    /// Every `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` entry, sorted by name.
    public func snapshot() -> TierSnapshot {
        asciiSnapshot() ?? exactSnapshot()
    }

    /// The listing, built with Swift's string rules throughout (`hasPrefix`, `<`, Unicode case
    /// mapping). `asciiSnapshot()` must give exactly this; a test holds them together.
    func exactSnapshot() -> TierSnapshot {
        var records: [TierRecord] = []
        var warnings: [String] = []
        // Only the AIRFLOW_VAR_/AIRFLOW_CONN_ entries are sorted: most of an environment is not ours.
        var entries: [(name: String, value: String)] = []
        for (name, value) in environment.variables
        where name.utf8.first == UInt8(ascii: "A") && name.hasPrefix("AIRFLOW_") {
            entries.append((name, value))
        }
        entries.sort { $0.name < $1.name }
        for (name, value) in entries {
            let kind: SecretKind
            let suffix: Substring
            if name.hasPrefix(Self.variablePrefix) {
                kind = .variable
                suffix = name.dropFirst(Self.variablePrefix.count)
            } else if name.hasPrefix(Self.connectionPrefix) {
                kind = .connection
                suffix = name.dropFirst(Self.connectionPrefix.count)
            } else {
                continue
            }
            records.append(record(kind: kind, name: name, suffix: suffix, value: value,
                                  origin: environment.origins[name], warnings: &warnings))
        }
        return TierSnapshot(records: records, warnings: warnings)
    }

    /// One listed entry, by the general rules.
    func record(kind: SecretKind, name: String, suffix: Substring, value: String,
                        origin: EnvironmentOrigin?, warnings: inout [String]) -> TierRecord {
        let upper = String(suffix).pythonUpper
        let (state, exactReason) = revealingState(kind: kind, value: value)
        var record = TierRecord(kind: kind, name: name, suggestedID: Self.suggestedID(for: suffix, upper: upper),
                                state: state, rawText: value, metadataPairs: Self.metadata(for: origin))
        record.exactReason = exactReason
        if let ownTeam = teams.team, suffix.hasPrefix("_" + ownTeam.pythonUpper + Self.teamSeparator) {
            // This deployment's team: read before the global name.
            let id = suffix.dropFirst(ownTeam.utf8.count + 1 + Self.teamSeparator.utf8.count)
            record.suggestedID = Self.suggestedID(for: id, upper: String(id).pythonUpper)
            record.metadata["team"] = ownTeam
            record.metadata["scope"] = "team \(ownTeam) (this deployment's): read before the global name, when not empty"
        } else if let team = Self.teamScope(of: suffix) {
            // Airflow 3.2+ multi-team names: only read for that team when `[core] multi_team`
            // is on. Without multi-team they are still read for the literal id
            // (`_team___x`), which is not what their author meant.
            record.suggestedID = Self.suggestedID(for: team.id, upper: team.id.pythonUpper)
            record.metadata["team"] = team.team
            if teams.team != nil {
                record.metadata["scope"] = "team \(team.team): another team's; this deployment's tasks never read it"
            } else {
                record.metadata["scope"] = "team \(team.team): read only for that team's tasks when [core] multi_team is on"
            }
        } else if upper != suffix {
            let fixed = (kind == .variable ? Self.variablePrefix : Self.connectionPrefix) + upper
            record.metadata["unreachable"] = "Airflow upper-cases ids, so it never reads \(name); rename it to \(fixed)"
            warnings.append("\(Self.describe(name, origin: origin)): Airflow never reads this name because it has lower-case letters; rename it to \(fixed)")
        }
        return record
    }

    /// The id to list for an env suffix. Airflow upper-cases ids before looking them up, so the
    /// original case is lost; Strata suggests the lower-case form (what DAG authors usually
    /// write, `my_postgres`), which reaches the same name. When lower-casing would not come back
    /// to the same name under Python's `upper()`, the suffix itself is used.
    static func suggestedID<S: StringProtocol>(for suffix: S, upper: String) -> String {
        let lower = suffix.lowercased()
        return lower.pythonUpper == upper ? lower : String(suffix)
    }

    /// `_<TEAM>___<ID>` — the shape of Airflow 3.2+ team-scoped names after the prefix.
    static func teamScope(of suffix: Substring) -> (team: String, id: String)? {
        guard suffix.hasPrefix("_") else { return nil }
        let rest = suffix.dropFirst()
        guard let separator = rest.range(of: "___"), separator.lowerBound != rest.startIndex else { return nil }
        let team = rest[..<separator.lowerBound]
        let id = rest[separator.upperBound...]
        guard !id.isEmpty else { return nil }
        return (String(team), String(id))
    }

    /// What Airflow would make of `value` (spec §1.3 / §2.2).
    package func state(kind: SecretKind, value: String) -> EntryState {
        revealingState(kind: kind, value: value).state
    }

    /// The state, and the exact reason of an `unreadable` state whose shown reason was redacted.
    func revealingState(kind: SecretKind, value: String) -> (state: EntryState, exact: String?) {
        switch kind {
        case .variable:
            // Returned verbatim; "" is a found value.
            return (value.isEmpty ? .empty : .present(.variable(value)), nil)
        case .connection:
            if value.isEmpty { return (.empty, nil) }
            let stripped = value.pythonStripped
            if stripped.isEmpty {
                return (.unreadable(reason: "whitespace-only value; Airflow treats it as not found"), nil)
            }
            return Self.parseConnectionRevealing(stripped, dialect: dialect)
        }
    }

    static func metadata(for origin: EnvironmentOrigin?) -> [(String, String)] {
        switch origin {
        case .file(let path, let line)?: return [("file", path), ("line", String(line)), ("source", "env file")]
        case .inline?: return [("source", "workspace env")]
        case .process?: return [("source", "process environment")]
        case nil: return []
        }
    }

    private static func describe(_ name: String, origin: EnvironmentOrigin?) -> String {
        if case .file(let path, let line)? = origin { return "\(path):\(line) \(name)" }
        return name
    }
}
