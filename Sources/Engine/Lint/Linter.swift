import PythonCompat

/// Checks a deployment for the mistakes that make Airflow read a value other than the one
/// its owners think it reads.
public struct Linter: Sendable {
    public init() {}

    /// Every multi-team refusal reason says this (`TeamLookup`'s rules), so lint can tell them apart.
    static let multiTeamRefusalMarker = "in multi-team mode ([core] multi_team)"

    /// The rule of a finding for a configured tier that could not be read.
    public static let tierUnreachableRule = "tier-unreachable"

    /// Every finding for a loaded deployment, most serious first.
    public func lint(_ state: DeploymentState) -> [LintFinding] {
        let name = state.deployment.name
        var findings: [LintFinding] = []
        for (tier, reason) in state.unreadableTiers.sorted(by: { $0.tier.rawValue < $1.tier.rawValue }) {
            findings.append(LintFinding(
                level: .error, rule: Self.tierUnreachableRule, deployment: name, key: nil, tier: tier,
                message: "the \(tier.rawValue) tier could not be read: \(reason)",
                fix: "fix the connection, credentials or configuration it names; until then lint cannot see what it holds"))
        }
        let fernetKeySet = !(state.deployment.environment["AIRFLOW__CORE__FERNET_KEY"] ?? "").isEmpty
        let resolutions = state.resolveAll()
        for resolution in resolutions {
            findings += lint(resolution, deployment: state.deployment, fernetKeySet: fernetKeySet)
        }
        findings += latentCaseCollisions(resolutions, deployment: name)
        return findings.sorted { ($0.level, $1.key?.id ?? "") > ($1.level, $0.key?.id ?? "") }
    }

    func lint(_ resolution: Resolution, deployment: Deployment, fernetKeySet: Bool) -> [LintFinding] {
        let key = resolution.key
        let what = "\(key.kind == .variable ? "variable" : "connection") \(key.id)"
        var findings: [LintFinding] = []
        func add(_ level: LintLevel, _ rule: String, _ tier: TierID?, _ message: String, _ fix: String) {
            findings.append(LintFinding(level: level, rule: rule, deployment: deployment.name, key: key, tier: tier,
                                        message: message, fix: fix))
        }
        let winner = resolution.winner
        let winnerName = resolution.winning?.lookup?.name ?? winner?.rawValue ?? ""

        // Once per group: the first id of the group (in code-point order) reports it for all.
        if !resolution.collisions.isEmpty, resolution.collisions.allSatisfy({ key.id < $0 }) {
            add(.error, "case-collision", nil,
                "\(what) and \(resolution.collisions.sorted().joined(separator: ", ")) are read from the same name (\(winnerName)); one silently answers for the other",
                "rename one of them so that their upper-cased forms differ, or delete the one that is not used")
        }
        // A row of another team (multi-team) is listed but absent: not a broken value.
        if winner == nil, resolution.tiers.contains(where: { $0.record != nil && $0.state != .absent }) {
            add(.error, "no-usable-value", nil,
                "\(what) is defined but no tier gives Airflow a usable value, so lookups fail with 'not found'",
                "fix the unreadable or empty values listed by `strata explain \(key.id)`")
        }
        for tier in resolution.tiers {
            switch tier.state {
            case .skipped(let reason) where reason.contains(Self.multiTeamRefusalMarker):
                add(.warning, "team-refused-id", tier.tier,
                    "the \(tier.tier.rawValue) tier never looks up \(what) in multi-team mode: \(reason)",
                    "rename the id so that it cannot spell a team's name (no '___' in the environment, no '--' in AWS or Key Vault, no '/' in a Vault key read without a team)")
            case .absent where tier.tier == .metastore && tier.record != nil:
                add(.info, "other-team-row", .metastore,
                    "the metastore row for \(what) belongs to another team, so this deployment's lookups never return it",
                    "nothing to do if that is intended; otherwise set the row's team_name to this team or clear it")
            case .unreadable(let reason):
                add(.error, "unreadable-value", tier.tier,
                    "\(what) in \(tier.tier.rawValue) (\(tier.lookup?.name ?? "?")) cannot be used: \(reason)",
                    key.kind == .connection
                        ? "correct the URI or JSON (percent-encode special characters in user and password); `strata uri parse` shows how Airflow reads it"
                        : "correct the stored value so that the tier can read it")
            case .skipped(let reason) where tier.tier == .backend || tier.tier == .workersBackend:
                if resolution.tiers.contains(where: { $0.record != nil }) {
                    add(.warning, "backend-skips-id", tier.tier,
                        "the \(tier.tier.rawValue) never looks up \(what): \(reason)",
                        "rename the id to fit the backend's naming rule, or keep it only in the tiers below the backend")
                }
            default:
                break
            }
            guard let winner, tier.tier != winner else { continue }
            switch (tier.tier, tier.comparison) {
            case (.metastore, .same):
                add(.info, "dead-metastore-row", .metastore,
                    "the metastore row for \(what) is never read: \(winner.rawValue) supplies the same value first",
                    "delete the metastore row to keep one source of truth")
            case (.metastore, .differs):
                add(.warning, "dead-metastore-row", .metastore,
                    "the metastore row for \(what) is never read and differs from the \(winner.rawValue) value Airflow uses\(fieldList(resolution, tier))",
                    "delete the metastore row, or move its value to \(winner.rawValue) if it is the one you meant")
            case (_, .differs):
                add(.warning, "shadowed-differs", tier.tier,
                    "\(what): \(winner.rawValue) shadows a different value in \(tier.tier.rawValue) (\(tier.lookup?.name ?? "?"))\(fieldList(resolution, tier))",
                    "remove the shadowed value or make it the same; Airflow never reads it, but people and other tools do")
            default:
                break
            }
        }
        for tier in resolution.tiers where tier.tier == .metastore {
            guard fernetKeySet, let record = tier.record, case .present(let value) = tier.state else { continue }
            let holdsSecret: Bool
            switch value {
            case .connection(let c): holdsSecret = !(c.password ?? "").isEmpty && record.metadataValue(forKey: "is_encrypted") == "false"
            case .variable: holdsSecret = record.metadataValue(forKey: "is_encrypted") == "false"
            }
            if holdsSecret {
                add(.warning, "plaintext-metastore-row", .metastore,
                    "the metastore stores \(what) in clear although a Fernet key is set",
                    "run `airflow rotate-fernet-key` only re-encrypts encrypted rows: re-save the value (e.g. with `strata set`) so it is encrypted")
            }
        }
        for tier in resolution.tiers where key.kind == .connection && Self.readsJSONFormWithFromJSON(tier) {
            if let record = tier.record, Self.storesAZeroPortAsANumber(record.rawText) {
                add(.warning, "port-zero-dropped", tier.tier,
                    "\(what) in \(tier.tier.rawValue) (\(tier.lookup?.name ?? "?")) stores \"port\": 0, which Airflow's from_json reads as no port (None)",
                    "write the port as the string \"0\" (Airflow keeps int(\"0\")), or store the URI form with :0 in it, if port 0 is meant; otherwise remove it")
            }
        }
        for tier in resolution.tiers where tier.tier == .env {
            guard let name = tier.lookup?.name, case .file(let path, let line)? = deployment.environment.origins[name],
                  case .present(let value) = tier.state else { continue }
            let secret: Bool
            switch value {
            case .connection(let c): secret = !(c.password ?? "").isEmpty
            case .variable: secret = SensitiveNames.isSensitive(key.id)
            }
            if secret {
                add(.warning, "secret-in-env-file", .env,
                    "\(what) keeps a secret in clear in \(path):\(line)",
                    "move it to the secrets backend, or keep the env file out of version control")
            }
        }
        return findings
    }

    /// Whether the tier hands Airflow a stored text that a JSON form is read from with
    /// `Connection.from_json` (an env variable, a remote secrets backend); the local-files
    /// backend builds a JSON connection from its dict instead, keeping every field as given.
    static func readsJSONFormWithFromJSON(_ tier: TierResolution) -> Bool {
        guard let record = tier.record else { return false }
        switch tier.tier {
        case .env: return true
        case .backend, .workersBackend: return record.metadataValue(forKey: "file") == nil
        case .metastore: return false
        }
    }

    /// Whether `text` is a JSON object whose `port` is the number 0, which `from_json` drops
    /// (`if port: int(port)`) where the string "0" and a URI's `:0` are kept.
    static func storesAZeroPortAsANumber(_ text: String?) -> Bool {
        guard let text, text.utf8.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{"),
              case .object(let object)? = try? JSONValue.parsePython(text) else { return false }
        switch object["port"] {
        case .integer(let digits)?: return digits == "0"
        case .float(let value)?: return value == 0
        default: return false
        }
    }

    private func fieldList(_ resolution: Resolution, _ tier: TierResolution) -> String {
        guard let winning = resolution.value,
              let value = TierMatrix.value(of: tier.state, kind: resolution.key.kind) else { return "" }
        let fields = value.differingFields(from: winning)
        return fields.isEmpty ? "" : " (differs in: \(fields.map(\.description).joined(separator: ", ")))"
    }
}


extension Linter {
    /// Ids of one kind that differ only in case, where no tier makes them collide yet: they
    /// share an environment name (`AIRFLOW_VAR_` + upper case) and a Key Vault name, and a
    /// MySQL metastore's case-insensitive collation holds only one of them. Once per group.
    func latentCaseCollisions(_ resolutions: [Resolution], deployment: String) -> [LintFinding] {
        var groups: [String: [Resolution]] = [:]
        for resolution in resolutions {
            groups[resolution.key.kind.rawValue + ":" + resolution.key.id.pythonUpper, default: []].append(resolution)
        }
        return groups.values.compactMap { group -> LintFinding? in
            guard group.count > 1, group.allSatisfy({ $0.collisions.isEmpty }) else { return nil }
            let ids = group.map(\.key.id).sorted()
            let first = group.min { $0.key.id < $1.key.id }!.key
            let kind = first.kind == .variable ? "variables" : "connections"
            return LintFinding(
                level: .info, rule: "latent-case-collision", deployment: deployment, key: first, tier: nil,
                message: "\(kind) \(ids.joined(separator: ", ")) differ only in case: the environment and Azure Key Vault "
                    + "name them alike, and a MySQL metastore keeps only one",
                fix: "rename all but one so that their upper-cased forms differ, before something sets one in the environment")
        }
    }
}
