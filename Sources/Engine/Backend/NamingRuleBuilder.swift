import PythonCompat
/// Turns a backend's kwargs into naming rules, reading each parameter as its constructor does.
struct NamingRuleBuilder {
    var kwargs: JSONObject
    var version: AirflowVersion
    var teams: TeamLookup = .off

    struct Built {
        var connections: KindRule
        var variables: KindRule
        var vault: VaultNamingSettings?
        var problems: [String]
        /// Vault's `use_team_secrets_path`.
        var usesTeamSecretsPath = true
    }

    func build(family: BackendFamily?, classPath: String) -> Built {
        guard let family else {
            let reason = "Strata does not know how \(classPath.isEmpty ? "this class" : classPath) names secrets"
            return Built(connections: .unknown(reason: reason), variables: .unknown(reason: reason),
                         vault: nil, problems: [])
        }
        switch family {
        case .secretsManager: return secretsManager()
        case .ssmParameterStore: return ssm()
        case .gcpSecretManager: return gcp()
        case .azureKeyVault: return azure()
        case .vault: return vault()
        case .localFilesystem: return localFilesystem()
        }
    }

    // MARK: AWS

    private func secretsManager() -> Built {
        var problems: [String] = []
        let sepSetting = KwargSetting(kwargs, "sep", default: "/")
        func kind(_ prefixName: String, _ defaultPrefix: String, _ patternName: String) -> KindRule {
            let lookupPattern = pattern(patternName)
            // `if prefix: prefix = prefix.rstrip(sep)`; at lookup `if prefix:` prefix + sep + id, else id.
            switch KwargSetting(kwargs, prefixName, default: defaultPrefix) {
            case .none:
                return .disabled(reason: "\(prefixName) is null, so Airflow never asks Secrets Manager")
            case .other(let value):
                if !value.pythonTruthy { return .secretsManager(prefix: "", sep: "", pattern: lookupPattern) }
                let reason = "\(prefixName) is not a string (\(value.pythonTypeName)); Airflow fails to start"
                problems.append(reason)
                return .broken(reason: reason)
            case .string(let text):
                if text.isEmpty { return .secretsManager(prefix: "", sep: "", pattern: lookupPattern) }
                guard case .string(let sep) = sepSetting else {
                    let reason = "sep is not a string; Secrets Manager lookups fail"
                    if !problems.contains(reason) { problems.append(reason) }
                    return .broken(reason: reason)
                }
                return .secretsManager(prefix: text.pythonRStrip(sep), sep: sep, pattern: lookupPattern)
            }
        }
        let connections = kind("connections_prefix", "airflow/connections", "connections_lookup_pattern")
        let variables = kind("variables_prefix", "airflow/variables", "variables_lookup_pattern")
        return Built(connections: connections, variables: variables, vault: nil, problems: problems)
    }

    private func ssm() -> Built {
        var problems: [String] = []
        func kind(_ prefixName: String, _ defaultPrefix: String, _ patternName: String) -> KindRule {
            switch KwargSetting(kwargs, prefixName, default: defaultPrefix) {
            case .none: return .disabled(reason: "\(prefixName) is null, so Airflow never asks Parameter Store")
            case .other(let value):
                let reason = "\(prefixName) is not a string (\(value.pythonTypeName)); Airflow fails to start"
                problems.append(reason)
                return .broken(reason: reason)
            case .string(let text):
                return .ssm(prefix: text.pythonRStrip("/"), pattern: pattern(patternName))
            }
        }
        let connections = kind("connections_prefix", "/airflow/connections", "connections_lookup_pattern")
        let variables = kind("variables_prefix", "/airflow/variables", "variables_lookup_pattern")
        return Built(connections: connections, variables: variables, vault: nil, problems: problems)
    }

    /// A `*_lookup_pattern`: only a truthy value restricts lookups (`if lookup_pattern and …`).
    private func pattern(_ name: String) -> LookupPattern? {
        guard let value = kwargs[name], value.pythonTruthy else { return nil }
        return LookupPattern(kwarg: name, value: value)
    }

    // MARK: GCP

    private func gcp() -> Built {
        var problems: [String] = []
        let sepSetting = KwargSetting(kwargs, "sep", default: "-")
        let connectionsPrefix = KwargSetting(kwargs, "connections_prefix", default: "airflow-connections")
        // Checked at start-up, and only for connections: connections_prefix + sep must match
        // ^[a-zA-Z0-9-_]*$ or the constructor raises AirflowException.
        if case .string(let prefix) = connectionsPrefix, case .string(let sep) = sepSetting,
           !GCPSecretNames.isValidPrefix(prefix + sep) {
            problems.append("connections_prefix + sep (\((prefix + sep).debugDescription)) may only hold letters, "
                + "digits, '-' and '_'; CloudSecretManagerBackend raises AirflowException and Airflow fails to start")
        }
        func kind(_ prefixName: String, _ defaultPrefix: String) -> KindRule {
            switch KwargSetting(kwargs, prefixName, default: defaultPrefix) {
            case .none: return .disabled(reason: "\(prefixName) is null, so Airflow never asks Secret Manager")
            case .other(let value):
                let reason = "\(prefixName) is not a string (\(value.pythonTypeName)); Secret Manager lookups fail"
                problems.append(reason)
                return .broken(reason: reason)
            case .string(let prefix):
                guard case .string(let sep) = sepSetting else {
                    let reason = "sep is not a string; Secret Manager lookups fail"
                    if !problems.contains(reason) { problems.append(reason) }
                    return .broken(reason: reason)
                }
                return .gcp(prefix: prefix, sep: sep)
            }
        }
        return Built(connections: kind("connections_prefix", "airflow-connections"),
                     variables: kind("variables_prefix", "airflow-variables"), vault: nil, problems: problems)
    }

    // MARK: Azure

    private func azure() -> Built {
        var problems: [String] = []
        let sepSetting = KwargSetting(kwargs, "sep", default: "-")
        func kind(_ prefixName: String, _ defaultPrefix: String) -> KindRule {
            let prefix = KwargSetting(kwargs, prefixName, default: defaultPrefix)
            guard case .string(let sep) = sepSetting else {
                let reason = "sep is not a string; Airflow fails to start or every Key Vault lookup fails"
                if !problems.contains(reason) { problems.append(reason) }
                return .broken(reason: reason)
            }
            switch prefix {
            case .none: return .disabled(reason: "\(prefixName) is null, so Airflow never asks Key Vault")
            case .other(let value):
                let reason = "\(prefixName) is not a string (\(value.pythonTypeName)); Airflow fails to start"
                problems.append(reason)
                return .broken(reason: reason)
            case .string(let text):
                return .azure(prefix: text.isEmpty ? "" : text.pythonRStrip(sep), sep: sep)
            }
        }
        return Built(connections: kind("connections_prefix", "airflow-connections"),
                     variables: kind("variables_prefix", "airflow-variables"), vault: nil, problems: problems)
    }

    // MARK: Vault

    private func vault() -> Built {
        var problems: [String] = []
        let mountPoint: String?
        switch KwargSetting(kwargs, "mount_point", default: "secret") {
        case .string(let s): mountPoint = s.isEmpty ? nil : s
        case .none: mountPoint = nil
        case .other(let value):
            // Python formats a non-string mount into the URL with str(); JSON numbers read the same.
            mountPoint = value.pythonTruthy ? value.displayText : nil
            problems.append("mount_point is not a string (\(value.pythonTypeName)); Strata uses its text")
        }
        var kvVersion = 2
        switch kwargs["kv_engine_version"] {
        case nil, .null?: break
        case let value? where !value.pythonTruthy: break  // 0 / false / "" → the client uses 2
        case .integer(let digits)? where digits == "1" || digits == "2": kvVersion = Int(digits)!
        case .float(let d)? where d == 1 || d == 2: kvVersion = Int(d)
        case .bool(true)?: kvVersion = 1  // Python: True == 1
        case let value?:
            problems.append("kv_engine_version must be 1 or 2 (it is \(value.pythonTypeName) "
                + "\(value.displayText)); Vault raises VaultError and Airflow fails to start"
                + (value.stringValue != nil ? ". A …_KWARG__KV_ENGINE_VERSION override is always a string" : ""))
        }
        func paths(_ name: String, _ defaultPath: String) -> [String]?? {
            switch kwargs[name] {
            case nil: return .some([defaultPath])
            case .null?: return .some(nil)
            case .string(let s)?: return .some([s.pythonRStrip("/")])
            case .array(let items)?:
                var result: [String] = []
                for item in items {
                    guard let s = item.stringValue else {
                        problems.append("\(name) must hold strings only; Airflow fails to start")
                        return nil
                    }
                    result.append(s.pythonRStrip("/"))
                }
                if version == .v2 {
                    problems.append("\(name) is a list, which needs apache-airflow-providers-hashicorp 4.x; "
                        + "3.x fails to start")
                }
                return .some(result)
            case let value?:
                problems.append("\(name) is \(value.pythonTypeName), not a string or list; Airflow fails to start")
                return nil
            }
        }
        // use_team_secrets_path (hashicorp 4.x, default True): with a team, each base path
        // becomes build_path(base, team) — `<base>/<team>` — and nothing else is read.
        let usesTeamPaths = kwargs["use_team_secrets_path"].map { $0 == .null ? false : $0.pythonTruthy } ?? true
        func teamScoped(_ found: [String]??) -> [String]?? {
            guard let team = teams.team, usesTeamPaths, case .some(let list?) = found else { return found }
            return .some(list.map { $0.isEmpty ? team : $0 + "/" + team })
        }
        let connectionsPaths = teamScoped(paths("connections_path", "connections"))
        let variablesPaths = teamScoped(paths("variables_path", "variables"))
        let settings = VaultNamingSettings(mountPoint: mountPoint, kvEngineVersion: kvVersion,
                                           connectionsPaths: connectionsPaths ?? nil,
                                           variablesPaths: variablesPaths ?? nil)
        func kind(_ name: String, _ found: [String]??) -> KindRule {
            switch found {
            case nil: return .broken(reason: "\(name) is not a string or a list of strings")
            case .some(nil): return .disabled(reason: "\(name) is null, so Airflow never asks Vault")
            case .some(let list?):
                if list.isEmpty { return .disabled(reason: "\(name) is an empty list, so Airflow never asks Vault") }
                return .vault(basePaths: list, settings: settings)
            }
        }
        return Built(connections: kind("connections_path", connectionsPaths),
                     variables: kind("variables_path", variablesPaths), vault: settings, problems: problems,
                     usesTeamSecretsPath: usesTeamPaths)
    }

    // MARK: Local files

    private func localFilesystem() -> Built {
        func kind(_ name: String) -> KindRule {
            switch KwargSetting(kwargs, name, default: nil) {
            case .string(let path) where !path.isEmpty: return .localFile(file: path)
            case .other(let value) where value.pythonTruthy:
                return .broken(reason: "\(name) is not a string (\(value.pythonTypeName)); reading it fails")
            default: return .disabled(reason: "\(name) is not set, so Airflow never reads a file for this kind")
            }
        }
        return Built(connections: kind("connections_file_path"), variables: kind("variables_file_path"),
                     vault: nil, problems: [])
    }
}

extension KwargSetting {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// Google Cloud Secret Manager's secret-id rules.
enum GCPSecretNames {
    /// The public REST reference: a secret id is at most 255 characters of `[A-Za-z0-9_-]`.
    static let maximumLength = 255

    static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }

    /// The provider's `^[a-zA-Z0-9-_]*$` check (Python's `$` also matches before a final `\n`).
    static func isValidPrefix(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars
        if scalars.last == "\n" { scalars.removeLast() }
        return scalars.allSatisfy(isAllowed)
    }
}
