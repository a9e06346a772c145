import Foundation

/// Airflow 3.2+ multi-team mode as one deployment's lookups see it: whether `[core] multi_team`
/// is on, and the team the deployment's tasks belong to (every lookup then carries `team_name`).
///
/// With multi-team on, every tier refuses ids that could spell another team's name (`___` in
/// the environment, `--` in Secrets Manager, SSM and Key Vault), team or no team. With a team,
/// the environment and the AWS, GCP and Azure backends try the team's name first and then the
/// global one, Vault reads `<base>/<team>/<key>` only, and the metastore returns rows whose
/// `team_name` is the team or NULL.
public struct TeamLookup: Sendable, Hashable {
    /// `[core] multi_team`.
    public var isMultiTeam: Bool
    /// The team lookups are made for; only ever set when `isMultiTeam` is.
    public var team: String?

    public init(isMultiTeam: Bool, team: String? = nil) {
        self.isMultiTeam = isMultiTeam
        self.team = isMultiTeam ? team : nil
    }

    /// Multi-team mode off: lookups carry no team and no id is refused.
    public static let off = TeamLookup(isMultiTeam: false)

    /// The environment variable that turns multi-team mode on.
    public static let settingName = "AIRFLOW__CORE__MULTI_TEAM"

    /// Airflow's team-name rule (`airflow teams create`): 3 to 50 ASCII letters, digits, `_` and `-`.
    /// Returns what is wrong with `name`, or nil when Airflow accepts it.
    public static func problem(withTeamName name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                               || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
        }
        if !allowed {
            return "team '\(InertText.make(name))' may only hold ASCII letters, digits, '_' and '-' (Airflow's ^[a-zA-Z0-9_-]{3,50}$)"
        }
        if name.utf8.count < 3 || name.utf8.count > 50 {
            return "team '\(InertText.make(name))' must be 3 to 50 characters long (Airflow's ^[a-zA-Z0-9_-]{3,50}$)"
        }
        return nil
    }

    /// `[core] multi_team` as Airflow's `getboolean` reads it from the environment: `t`, `true`,
    /// `1` are on, `f`, `false`, `0` and an unset option off (the default), anything else an
    /// error (`AirflowConfigException`), reported as `.failure` with the value.
    /// Strata sees the environment only: a setting in `airflow.cfg` is not visible here.
    public static func multiTeamSetting(in environment: DeploymentEnvironment) -> Result<Bool, MultiTeamSettingError> {
        guard let raw = environment[settingName] else { return .success(false) }
        var value = raw.lowercased().trimmingCharacters(in: .whitespaces)
        // getboolean drops an inline comment.
        if let hash = value.firstIndex(of: "#") { value = String(value[..<hash]).trimmingCharacters(in: .whitespaces) }
        switch value {
        case "t", "true", "1": return .success(true)
        case "f", "false", "0": return .success(false)
        default: return .failure(MultiTeamSettingError(value: raw))
        }
    }
}

/// `AIRFLOW__CORE__MULTI_TEAM` holds something Airflow's `getboolean` rejects.
public struct MultiTeamSettingError: Error, Sendable, Hashable {
    public var value: String
}

extension Deployment {
    /// How this deployment's lookups handle teams: multi-team mode from its environment (only
    /// Airflow 3 has it) and its `team:`.
    public var teamLookup: TeamLookup {
        guard airflowVersion == .v3, case .success(true) = TeamLookup.multiTeamSetting(in: environment) else { return .off }
        return TeamLookup(isMultiTeam: true, team: team)
    }
}
