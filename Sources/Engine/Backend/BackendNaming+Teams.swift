extension BackendNaming {
    /// What separates the team from the id in the AWS, GCP and Key Vault team names.
    public static let teamSeparator = "--"

    /// The global name Airflow asks for when the team's name (`lookupName(for:)`) finds
    /// nothing; nil without a team, and for Vault, whose team paths replace the global ones.
    public func globalLookupName(for key: SecretKey) -> LookupName? {
        // Checked first: the resolver asks this for every key a tier misses.
        guard let team = teams.team, rule(for: key.kind).teamName(for: key.id, team: team) != nil else { return nil }
        let candidates = lookupCandidates(for: key)
        return candidates.count > 1 ? candidates[1] : nil
    }

    /// The id whose team lookup asks for `name`, when `name` is this deployment's team's form of
    /// an id (`airflow/variables/team_a--my_key` → `my_key`); nil otherwise.
    public func id(fromTeamName name: String, kind: SecretKind) -> String? {
        guard let team = teams.team else { return nil }
        return rule(for: kind).id(fromTeamName: name, team: team)
    }

    /// Why a multi-team lookup of `id` is refused before any request, or nil. The refusals
    /// apply with or without a team: the ids could spell another team's namespace.
    func teamRefusal(of id: String, rule: KindRule) -> String? {
        guard teams.isMultiTeam else { return nil }
        switch rule {
        case .secretsManager, .ssm:
            guard id.contains(Self.teamSeparator) else { return nil }
            return "in multi-team mode ([core] multi_team) Airflow refuses ids containing '--', which separates "
                + "a team from the id in <team>--<id> names; it logs a warning and does not ask the service"
        case .azure(_, let sep):
            guard KindRule.azureBuild(prefix: "", sep: sep, id: id).contains(Self.teamSeparator) else { return nil }
            return "in multi-team mode ([core] multi_team) Airflow refuses ids whose Key Vault form (every '_' as "
                + "'\(sep)') contains '--', which separates a team from the id; it logs a warning and does not ask Key Vault"
        case .vault(_, let settings):
            // A caller with no team may not reach into `<base>/<team>/…` through a nested key.
            guard teams.team == nil, usesTeamSecretsPath else { return nil }
            let keyPart: Substring
            if settings.mountPoint != nil {
                keyPart = Substring(id)
            } else {
                guard let slash = id.firstIndex(of: "/") else { return nil }
                keyPart = id[id.index(after: slash)...]
            }
            guard keyPart.contains("/") else { return nil }
            return "in multi-team mode ([core] multi_team) Airflow refuses keys containing '/' looked up without a team "
                + "(they could reach a team's <base>/<team>/ path); it logs a warning and does not ask Vault"
        case .gcp, .disabled, .broken, .unknown, .localFile:
            return nil
        }
    }
}

extension KindRule {
    /// The team's name Airflow asks for before the global one, or nil when this backend has
    /// none (Vault scopes its base paths instead; local files ignore teams) or skips the key.
    func teamName(for id: String, team: String) -> LookupName? {
        let scoped = team + BackendNaming.teamSeparator + id
        switch self {
        case .secretsManager(let prefix, let sep, let pattern):
            // `if path_prefix and team_name`: an empty prefix has no team name.
            guard pattern?.refusal(of: id) == nil, !prefix.isEmpty else { return nil }
            return .name(prefix + sep + scoped)
        case .ssm(let prefix, let pattern):
            guard pattern?.refusal(of: id) == nil else { return nil }
            return .name(Self.ssmName(prefix: prefix, id: scoped))
        case .gcp(let prefix, let sep):
            return Self.gcpName(prefix + sep + scoped)
        case .azure(let prefix, let sep):
            return Self.azureName(Self.azureBuild(prefix: prefix, sep: sep, id: scoped))
        case .vault, .localFile, .disabled, .broken, .unknown:
            return nil
        }
    }

    /// The id whose team lookup asks for `name`, when `name` is `team`'s form of an id.
    func id(fromTeamName name: String, team: String) -> String? {
        let marker = team + BackendNaming.teamSeparator
        let start: String
        switch self {
        case .secretsManager(let prefix, let sep, _):
            guard !prefix.isEmpty else { return nil }
            start = prefix + sep + marker
        case .ssm(let prefix, _): start = Self.ssmName(prefix: prefix, id: marker)
        case .gcp(let prefix, let sep): start = prefix + sep + marker
        case .azure(let prefix, let sep): start = Self.azureBuild(prefix: prefix, sep: sep, id: marker)
        case .vault, .localFile, .disabled, .broken, .unknown: return nil
        }
        guard name.hasPrefix(start), name.count > start.count else { return nil }
        let id = String(name.dropFirst(start.count))
        guard teamName(for: id, team: team) == .name(name) else { return nil }
        return id
    }
}
