import Foundation
import PythonCompat

extension BackendConfiguration {
    /// Reads the deployment's custom secrets backends the way Airflow does at start-up:
    /// `AIRFLOW__SECRETS__BACKEND` + `…_BACKEND_KWARGS` (+ 3.2's `…_BACKEND_KWARG__<NAME>`), and on
    /// Airflow 3 `AIRFLOW__WORKERS__SECRETS_BACKEND` + its kwargs. Never fails: what Airflow would
    /// silently ignore, and what Strata cannot know (`_CMD`, `_SECRET`), becomes a warning.
    public static func read(from environment: DeploymentEnvironment, version: AirflowVersion) -> BackendSettings {
        BackendSettingsReader(environment: environment, version: version).read()
    }
}

/// One `[section] option` as Airflow's config parser resolves it from environment variables.
enum ConfigOptionValue: Equatable {
    case unset
    case value(String, source: String)
    /// Set through `_CMD` or `_SECRET`: Airflow has a value, Strata cannot know it.
    case unknown(source: String)
}

struct BackendSettingsReader {
    var environment: DeploymentEnvironment
    var version: AirflowVersion

    private var expansion: AirflowConfigExpansion { AirflowConfigExpansion(environment: environment) }

    func read() -> BackendSettings {
        var settings = BackendSettings()
        settings.secrets = readBackend(section: "secrets", classKey: "backend", kwargsKey: "backend_kwargs",
                                       settingsWarnings: &settings.warnings)
        switch version {
        case .v3:
            settings.workers = readBackend(section: "workers", classKey: "secrets_backend",
                                           kwargsKey: "secrets_backend_kwargs",
                                           settingsWarnings: &settings.warnings)
        case .v2:
            let workerNames = environment.names(withPrefix: "AIRFLOW__WORKERS__SECRETS_BACKEND").sorted()
            if !workerNames.isEmpty {
                settings.warnings.append(
                    "\(workerNames.joined(separator: ", ")) \(workerNames.count == 1 ? "is" : "are") ignored: "
                        + "Airflow 2 has no [workers] secrets backend; tasks use [secrets] backend.")
            }
        }
        return settings
    }

    /// Reads one backend; `nil` when its class option is empty or unset.
    private func readBackend(section: String, classKey: String, kwargsKey: String,
                             settingsWarnings: inout [String]) -> BackendConfiguration? {
        var warnings: [String] = []
        let classOption = option(section: section, key: classKey, sensitive: false, warnings: &warnings)
        let kwargsName = Self.envName(section, kwargsKey)
        let overridePrefix = Self.overridePrefix(section: section, kwargsKey: kwargsKey)

        guard case .value(let classPath, let classSource) = classOption, !classPath.isEmpty else {
            let related = Set(environment.names(withPrefix: kwargsName).filter { $0 == kwargsName || $0.hasPrefix(kwargsName + "_") }
                + environment.names(withPrefix: overridePrefix)).sorted()
            settingsWarnings.append(contentsOf: warnings)
            if !related.isEmpty {
                let className = Self.envName(section, classKey)
                let fallback = section == "workers"
                    ? "workers use [secrets] backend with [secrets] backend_kwargs instead"
                    : "there is no custom backend to receive them"
                settingsWarnings.append("\(related.joined(separator: ", ")) \(related.count == 1 ? "is" : "are") "
                    + "set but \(className) is not, so Airflow ignores \(related.count == 1 ? "it" : "them"): \(fallback).")
            }
            return nil
        }

        var sources = [classSource]
        let recognition = BackendFamily.recognise(classPath: classPath, version: version)
        warnings.append(contentsOf: recognition.warnings)

        var kwargs = JSONObject()
        switch option(section: section, key: kwargsKey, sensitive: true, warnings: &warnings) {
        case .unset:
            break
        case .unknown(let source):
            sources.append(source)
        case .value(let text, let source):
            sources.append(source)
            kwargs = parseKwargs(text, source: source, section: section, key: kwargsKey, warnings: &warnings)
        }

        let overrides = environment.names(withPrefix: overridePrefix).sorted()
        if !overrides.isEmpty {
            switch version {
            case .v2:
                warnings.append("\(overrides.joined(separator: ", ")) \(overrides.count == 1 ? "is" : "are") "
                    + "ignored: per-key backend kwargs (…_KWARG__<NAME>) exist from Airflow 3.2.")
            case .v3:
                for name in overrides {
                    let kwarg = String(name.dropFirst(overridePrefix.count)).lowercased()
                    // Airflow skips an empty suffix; the value is the raw string, not JSON, not expanded.
                    guard !kwarg.isEmpty, let value = environment[name] else { continue }
                    kwargs[kwarg] = .string(value)
                    sources.append(name)
                }
                warnings.append("Per-key kwargs (\(overridePrefix)<NAME>) are applied, overriding the JSON "
                    + "kwargs: Airflow reads them from 3.2 on; 3.0 and 3.1 ignore them. The deployment only "
                    + "says Airflow 3, so Strata assumes 3.2 or later.")
            }
        }

        return BackendConfiguration(classPath: classPath, family: recognition.family, kwargs: kwargs,
                                    sources: sources, warnings: warnings)
    }

    /// `AirflowConfigParser._get_env_var_option`: the variable itself (expanded), else `_CMD`,
    /// else `_SECRET` — the last two only for options Airflow flags as sensitive.
    func option(section: String, key: String, sensitive: Bool, warnings: inout [String]) -> ConfigOptionValue {
        let name = Self.envName(section, key)
        let command = name + "_CMD", secret = name + "_SECRET"
        if let raw = environment[name] {
            for shadowed in [command, secret] where environment[shadowed] != nil {
                warnings.append("\(shadowed) is ignored because \(name) is set, and Airflow reads that first.")
            }
            let (value, unresolved) = expansion.expand(raw)
            for reference in unresolved {
                warnings.append("\(name) mentions $\(reference), which this deployment does not set; "
                    + "Airflow expands it from its own process environment, so Strata shows it unexpanded.")
            }
            return .value(value, source: name)
        }
        if environment[command] != nil {
            guard sensitive else {
                warnings.append("\(command) is ignored: Airflow runs _CMD only for sensitive options, "
                    + "and [\(section)] \(key) is not one.")
                return .unset
            }
            warnings.append("\(command) is set; Strata does not run commands, so the kwargs from it are not "
                + "known. Names and settings below assume the backend's defaults.")
            return .unknown(source: command)
        }
        if environment[secret] != nil {
            guard sensitive else {
                warnings.append("\(secret) is ignored: Airflow reads _SECRET only for sensitive options, "
                    + "and [\(section)] \(key) is not one.")
                return .unset
            }
            warnings.append("\(secret) is set; Airflow fetches the value through the secrets backend, which "
                + "Strata does not do for configuration, so the kwargs from it are not known. Names and "
                + "settings below assume the backend's defaults.")
            return .unknown(source: secret)
        }
        return .unset
    }

    /// `conf.getjson` plus `_get_custom_secret_backend`'s checks: empty ⇒ no kwargs; invalid JSON ⇒
    /// a logged warning and no kwargs; a falsy value (`null`, `[]`, `0`…) ⇒ no kwargs, silently; any
    /// other non-object ⇒ a logged warning and no kwargs.
    private func parseKwargs(_ text: String, source: String, section: String, key: String,
                             warnings: inout [String]) -> JSONObject {
        guard !text.isEmpty else { return JSONObject() }
        let value: JSONValue
        switch JSONValue.loadsPython(text) {
        case .failure(let error):
            // A decode error names a position only; other errors' messages are not shown, since
            // the kwargs hold secrets.
            let problem = error.className == "JSONDecodeError" ? error.description : error.className
            warnings.append("\(source) is not valid JSON (\(problem)). Airflow logs \"Failed to parse "
                + "[\(section)] \(key) as JSON, defaulting to no kwargs.\" and starts the backend with no "
                + "kwargs, so the defaults below apply.")
            return JSONObject()
        case .success(let parsed):
            value = parsed
        }
        if let object = value.objectValue { return object }
        if value.pythonTruthy {
            warnings.append("\(source) is JSON but not an object (\(value.pythonTypeName)). Airflow logs "
                + "\"Failed to parse [\(section)] \(key) into a dict, defaulting to no kwargs.\" and starts "
                + "the backend with no kwargs, so the defaults below apply.")
        }
        return JSONObject()
    }

    static func envName(_ section: String, _ key: String) -> String {
        "AIRFLOW__\(section.uppercased())__\(key.uppercased())"
    }

    /// `_build_kwarg_env_prefix`: `backend_kwargs` → `AIRFLOW__SECRETS__BACKEND_KWARG__`.
    static func overridePrefix(section: String, kwargsKey: String) -> String {
        let singular = kwargsKey.replacingOccurrences(of: "_kwargs", with: "_kwarg")
        return "AIRFLOW__\(section.uppercased())__\(singular.uppercased())__"
    }
}

