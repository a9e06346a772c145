import Foundation
import PythonCompat
import Engine

/// Everything a Secrets Manager or Parameter Store tier needs, resolved the way Airflow's
/// backend builds its boto3 client: backend kwargs first, then the deployment's environment
/// (never Strata's own), then the shared `~/.aws/credentials` and `~/.aws/config` files.
public struct AWSBackendSettings: Sendable {
    public var service: AWSService
    public var naming: BackendNaming
    public var version: AirflowVersion
    public var region: String
    /// Where the region came from: "region_name kwarg", "AWS_DEFAULT_REGION", "profile dev".
    public var regionSource: String
    public var endpoint: URL
    public var endpointSource: String
    public var credentials: AWSCredentialPlan
    /// Role assumed through STS with the base credentials, when `role_arn` is set.
    public var role: AssumeRoleSettings?
    /// Extra trusted CA bundle (`verify` kwarg as a path, or AWS_CA_BUNDLE).
    public var caBundlePath: String?
    /// Secrets Manager: `extra_conn_words`, validated.
    public var extraConnWords: [(field: String, words: [String])]
    /// Secrets Manager, provider 8.x (Airflow 2): `are_secret_values_urlencoded`.
    public var secretValuesURLEncoded: Bool
    /// Things that work differently in Strata than in Airflow, or settings Airflow ignores.
    public var warnings: [String]

    /// The summary for the backend pane: "env keys · region eu-west-1".
    public var authSummary: String {
        var parts = [credentials.summary]
        if let role { parts.append("role \(role.roleARN)") }
        parts.append("region \(region)")
        if endpointSource != "AWS" { parts.append("endpoint \(endpoint.absoluteString) (\(endpointSource))") }
        return parts.joined(separator: " · ")
    }
}

/// Which base credentials a tier signs with.
public enum AWSCredentialPlan: Sendable {
    case keys(AWSCredentials)
    /// A profile whose `role_arn` is assumed with its `source_profile`'s keys.
    case profileRole(source: AWSCredentials, role: AssumeRoleSettings, profile: String)

    var summary: String {
        switch self {
        case .keys(let credentials): return credentials.source
        case .profileRole(_, let role, let profile): return "profile \(profile) (role \(role.roleARN))"
        }
    }
}

/// An STS AssumeRole call: role, session name, the extra AssumeRole parameters, STS endpoint.
public struct AssumeRoleSettings: Sendable {
    public var roleARN: String
    public var sessionName: String
    /// `assume_role_kwargs` (DurationSeconds, ExternalId, Policy…), as AssumeRole parameters.
    public var parameters: JSONObject
    public var stsEndpoint: URL
    public var region: String
}

extension AWSBackendSettings {
    /// Resolves the settings for `configuration` in `deployment`. `homeDirectory` is where
    /// `~/.aws` lives when AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE are not set.
    public init(configuration: BackendConfiguration, deployment: Deployment,
                homeDirectory: URL = FileManager.default.homeDirectoryForCurrentUser) throws {
        guard let family = configuration.family, family == .secretsManager || family == .ssmParameterStore else {
            throw AWSSetupError("\(configuration.classPath) is not an AWS secrets backend.")
        }
        let reader = AWSSettingsReader(configuration: configuration, deployment: deployment, homeDirectory: homeDirectory)
        self = try reader.resolve(service: family == .secretsManager ? .secretsManager : .ssm)
    }
}

/// Reads kwargs, environment and shared files in boto3's order.
struct AWSSettingsReader {
    let kwargs: JSONObject
    let origin: String
    let deployment: Deployment
    let homeDirectory: URL
    let configuration: BackendConfiguration

    init(configuration: BackendConfiguration, deployment: Deployment, homeDirectory: URL) {
        self.configuration = configuration
        self.kwargs = configuration.kwargs
        self.origin = configuration.sources.first { $0.hasSuffix("KWARGS") } ?? "the backend kwargs"
        self.deployment = deployment
        self.homeDirectory = homeDirectory
    }

    func env(_ name: String) -> String? {
        guard let value = deployment.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// A kwarg as Python's `if value:` sees it; a non-string truthy value is a setup error.
    func string(_ key: String) throws -> String? {
        guard let value = kwargs[key], value.pythonTruthy else { return nil }
        guard let text = value.stringValue else {
            throw AWSSetupError("\(key) in \(origin) must be a string; it is \(value.kwargTypeName).")
        }
        return text
    }

    func resolve(service: AWSService) throws -> AWSBackendSettings {
        var warnings: [String] = []
        let files = try SharedFiles(reader: self)
        let explicitProfile = try string("profile_name")
        let profileName = explicitProfile ?? env("AWS_PROFILE") ?? env("AWS_DEFAULT_PROFILE") ?? "default"
        if let explicitProfile, files.config.configProfile(explicitProfile) == nil,
           files.credentials.credentialsProfile(explicitProfile) == nil {
            throw AWSSetupError("profile_name \(explicitProfile.debugDescription) in \(origin) is in neither "
                + "\(files.credentials.path) nor \(files.config.path); boto3 raises ProfileNotFound, so every lookup fails. "
                + "Add the profile or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE in the deployment's environment.")
        }
        let profileConfig = files.config.configProfile(profileName) ?? [:]

        // Region: region_name kwarg, AWS_DEFAULT_REGION, then the profile's region.
        let region: String, regionSource: String
        if let value = try string("region_name") {
            (region, regionSource) = (value, "region_name kwarg")
        } else if let value = env("AWS_DEFAULT_REGION") {
            (region, regionSource) = (value, "AWS_DEFAULT_REGION")
        } else if let value = profileConfig["region"], !value.isEmpty {
            (region, regionSource) = (value, "profile \(profileName) in \(files.config.path)")
        } else if let value = env("AWS_REGION") {
            // boto3 does not read AWS_REGION (other SDKs do); say so rather than hide it.
            (region, regionSource) = (value, "AWS_REGION")
            warnings.append("the region comes from AWS_REGION, which boto3 ignores: Airflow's client raises "
                + "NoRegionError unless AWS_DEFAULT_REGION or region_name is set too.")
        } else {
            throw AWSSetupError("no AWS region: set region_name in \(origin) or AWS_DEFAULT_REGION in the deployment's "
                + "environment (or region in the profile's config). Without one boto3 raises NoRegionError and "
                + "Airflow skips this backend.")
        }
        guard region.range(of: "^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$", options: .regularExpression) != nil else {
            throw AWSSetupError("the region \(region.debugDescription) (from \(regionSource)) is not a valid AWS region "
                + "name; boto3 raises InvalidRegionError. Use a name such as eu-west-1.")
        }

        let (serviceEndpoint, endpointSource) = try endpoint(for: service, region: region, profile: profileConfig,
                                                             kwarg: try string("endpoint_url"))
        let credentials = try baseCredentials(files: files, profileName: profileName, explicitProfile: explicitProfile,
                                              region: region, warnings: &warnings)

        var role: AssumeRoleSettings?
        if let roleARN = try string("role_arn") {
            let method = try string("assume_role_method") ?? "assume_role"
            guard method == "assume_role" else {
                throw AWSSetupError("assume_role_method \(method.debugDescription) in \(origin): Strata supports "
                    + "\"assume_role\" only (Airflow also knows assume_role_with_saml and assume_role_with_web_identity).")
            }
            var parameters = JSONObject()
            if let extra = kwargs["assume_role_kwargs"], extra.pythonTruthy {
                guard let object = extra.objectValue else {
                    throw AWSSetupError("assume_role_kwargs in \(origin) must be an object of AssumeRole parameters.")
                }
                parameters = object
            }
            // AwsConnectionWrapper never uses endpoint_url for the STS client that assumes the role.
            var serviceConfigSTS: String?
            if case .object(let services)? = kwargs["service_config"], case .object(let sts)? = services["sts"] {
                serviceConfigSTS = sts["endpoint_url"]?.stringValue
            }
            let (stsEndpoint, _) = try endpoint(for: .sts, region: region, profile: profileConfig, kwarg: serviceConfigSTS)
            let className = configuration.classPath.split(separator: ".").last.map(String.init)
                ?? (service == .secretsManager ? "SecretsManagerBackend" : "SystemsManagerParameterStoreBackend")
            role = AssumeRoleSettings(roleARN: roleARN, sessionName: Self.sessionName("Airflow_\(className)__connection"),
                                      parameters: parameters, stsEndpoint: stsEndpoint, region: region)
        }

        var caBundle = env("AWS_CA_BUNDLE").map { deployment.localPath($0).path }
        switch kwargs["verify"] {
        case .bool(false)?:
            warnings.append("verify is false: Airflow skips TLS certificate checks; Strata keeps them on.")
        case .string(let path)? where !path.isEmpty:
            caBundle = deployment.localPath(path).path
        default: break
        }
        if let caBundle, !FileManager.default.isReadableFile(atPath: caBundle) {
            throw AWSSetupError("the CA bundle \(caBundle) (verify kwarg or AWS_CA_BUNDLE) cannot be read; "
                + "point it at a PEM file of certificates.")
        }

        var words: [(String, [String])] = []
        var urlEncoded = false
        if service == .secretsManager {
            words = try extraConnWords()
            if deployment.airflowVersion == .v2, let value = kwargs["are_secret_values_urlencoded"], value != .null {
                urlEncoded = value.pythonTruthy
                warnings.append("are_secret_values_urlencoded is deprecated (amazon provider 8.x) and removed in 9.0.")
            } else if deployment.airflowVersion == .v3, kwargs["are_secret_values_urlencoded"] != nil {
                warnings.append("are_secret_values_urlencoded was removed in amazon provider 9.0: Airflow 3 ignores it.")
            }
        }
        if kwargs["full_url_mode"] != nil {
            warnings.append("full_url_mode is ignored: the format of each secret is detected from its text.")
        }

        return AWSBackendSettings(service: service, naming: BackendNaming(configuration: configuration, version: deployment.airflowVersion,
                                                                                    teams: deployment.teamLookup),
                                  version: deployment.airflowVersion, region: region, regionSource: regionSource,
                                  endpoint: serviceEndpoint, endpointSource: endpointSource, credentials: credentials, role: role,
                                  caBundlePath: caBundle, extraConnWords: words, secretValuesURLEncoded: urlEncoded,
                                  warnings: warnings)
    }

    /// botocore's endpoint order: the client's endpoint_url, then (unless
    /// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
    /// profile's `endpoint_url`, then the public regional endpoint.
    func endpoint(for service: AWSService, region: String, profile: [String: String], kwarg: String?) throws -> (URL, String) {
        var candidates: [(String, String)] = []
        if let kwarg, !kwarg.isEmpty { candidates.append((kwarg, service == .sts ? "service_config sts endpoint_url" : "endpoint_url kwarg")) }
        let ignoreConfigured = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").map { $0.lowercased() == "true" } ?? false
        if !ignoreConfigured {
            if let value = env(service.endpointVariable) { candidates.append((value, service.endpointVariable)) }
            if let value = env("AWS_ENDPOINT_URL") { candidates.append((value, "AWS_ENDPOINT_URL")) }
            if let value = profile["endpoint_url"], !value.isEmpty { candidates.append((value, "profile endpoint_url")) }
        }
        guard let (text, source) = candidates.first else {
            return (URL(string: service.defaultEndpoint(region: region))!, "AWS")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else {
            throw AWSSetupError("\(source) is not an http(s) URL with a host (it is \(text.debugDescription)); "
                + "boto3 raises ValueError: Invalid endpoint.")
        }
        return (url, source)
    }

    /// The base credentials: kwargs keys, then the environment (unless a profile_name kwarg is
    /// set, which makes botocore skip the environment), then the profile.
    func baseCredentials(files: SharedFiles, profileName: String, explicitProfile: String?, region: String,
                         warnings: inout [String]) throws -> AWSCredentialPlan {
        let keyID = try string("aws_access_key_id"), secret = try string("aws_secret_access_key")
        if let keyID, let secret {
            return .keys(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                                        sessionToken: try string("aws_session_token"), source: "backend kwargs"))
        }
        if case .object(let session)? = kwargs["session_kwargs"],
           let keyID = session["aws_access_key_id"]?.stringValue, let secret = session["aws_secret_access_key"]?.stringValue,
           !keyID.isEmpty, !secret.isEmpty {
            warnings.append("session_kwargs is deprecated in the amazon provider; put the keys in the kwargs themselves.")
            return .keys(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                                        sessionToken: session["aws_session_token"]?.stringValue, source: "session_kwargs"))
        }
        if keyID != nil || secret != nil {
            warnings.append("only one of aws_access_key_id / aws_secret_access_key is in \(origin); boto3 ignores it.")
        }
        if explicitProfile == nil, let envKey = env("AWS_ACCESS_KEY_ID"), let envSecret = env("AWS_SECRET_ACCESS_KEY") {
            return .keys(AWSCredentials(accessKeyID: envKey, secretAccessKey: envSecret,
                                        sessionToken: env("AWS_SESSION_TOKEN") ?? env("AWS_SECURITY_TOKEN"),
                                        source: "env keys"))
        }
        return try profileCredentials(profileName, files: files, region: region, visited: [])
    }

    /// A profile's credentials: role_arn + source_profile / credential_source, then the
    /// credentials file, then keys in the config file.
    func profileCredentials(_ name: String, files: SharedFiles, region: String, visited: Set<String>) throws -> AWSCredentialPlan {
        let config = files.config.configProfile(name) ?? [:]
        if let roleARN = config["role_arn"], !roleARN.isEmpty {
            guard !visited.contains(name) else {
                throw AWSSetupError("profile \(name) in \(files.config.path) takes part in a source_profile loop.")
            }
            let source: AWSCredentials
            if let sourceProfile = config["source_profile"], !sourceProfile.isEmpty {
                let sourceVisited = visited.union([name])
                if sourceProfile == name {
                    source = try staticProfileKeys(sourceProfile, files: files)
                        ?? { throw AWSSetupError("profile \(name) names itself as source_profile but has no keys.") }()
                } else {
                    switch try profileCredentials(sourceProfile, files: files, region: region, visited: sourceVisited) {
                    case .keys(let keys): source = keys
                    case .profileRole:
                        throw AWSSetupError("profile \(name): chained roles (a source_profile that itself assumes a role) "
                            + "are not supported by Strata yet.")
                    }
                }
            } else if config["credential_source"] == "Environment",
                      let key = env("AWS_ACCESS_KEY_ID"), let secret = env("AWS_SECRET_ACCESS_KEY") {
                source = AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN"),
                                        source: "env keys")
            } else {
                throw AWSSetupError("profile \(name) in \(files.config.path) has role_arn but no usable source_profile "
                    + "(credential_source \(config["credential_source"] ?? "unset") needs an instance or container "
                    + "role, which Strata cannot use).")
            }
            let (stsEndpoint, _) = try endpoint(for: .sts, region: region, profile: config, kwarg: nil)
            var parameters = JSONObject()
            if let external = config["external_id"] { parameters["ExternalId"] = .string(external) }
            if let duration = config["duration_seconds"] {
                // STS takes 900 to 43200 seconds; anything else is refused there, so say so here.
                guard let seconds = Int(duration.trimmingCharacters(in: .whitespaces)), (900...43_200).contains(seconds) else {
                    throw AWSSetupError("duration_seconds of profile \(name) in \(files.config.path) must be a whole number of "
                                        + "seconds from 900 to 43200.")
                }
                parameters["DurationSeconds"] = .integer(String(seconds))
            }
            let sessionName = config["role_session_name"] ?? "botocore-session-\(Int(Date().timeIntervalSince1970))"
            return .profileRole(source: source, role: AssumeRoleSettings(roleARN: roleARN, sessionName: sessionName,
                                                                        parameters: parameters, stsEndpoint: stsEndpoint,
                                                                        region: region),
                                profile: name)
        }
        if let keys = try staticProfileKeys(name, files: files) { return .keys(keys) }
        if config["web_identity_token_file"] != nil || config["sso_session"] != nil || config["sso_start_url"] != nil
            || config["credential_process"] != nil {
            throw AWSSetupError("profile \(name) uses web identity, SSO or credential_process, which Strata cannot use yet; "
                + "give the deployment keys (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or a profile with keys.")
        }
        throw AWSSetupError("no AWS credentials found: none in the backend kwargs (aws_access_key_id / aws_secret_access_key), "
            + "none in the deployment's environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), none for profile \(name) "
            + "in \(files.credentials.path) or \(files.config.path). boto3 raises NoCredentialsError, so Airflow skips "
            + "this backend. (Instance and container roles are not available to Strata.)")
    }

    func staticProfileKeys(_ name: String, files: SharedFiles) throws -> AWSCredentials? {
        for (settings, path) in [(files.credentials.credentialsProfile(name), files.credentials.path),
                                 (files.config.configProfile(name), files.config.path)] {
            guard let settings, let key = settings["aws_access_key_id"], let secret = settings["aws_secret_access_key"],
                  !key.isEmpty, !secret.isEmpty else { continue }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: settings["aws_session_token"],
                                  source: "profile \(name) in \(path)")
        }
        return nil
    }

    /// `extra_conn_words`: an object of lists of strings keyed by connection field (`user` = `login`).
    func extraConnWords() throws -> [(String, [String])] {
        guard let value = kwargs["extra_conn_words"], value.pythonTruthy else { return [] }
        guard let object = value.objectValue else {
            throw AWSSetupError("extra_conn_words in \(origin) must be an object of word lists, e.g. "
                + "{\"login\": [\"usr\"]}; it is \(value.kwargTypeName).")
        }
        let fields = SecretsManagerConnectionMapping.fieldOrder
        var result: [(String, [String])] = []
        for (field, words) in object {
            let target = field == "user" ? "login" : field
            guard fields.contains(target) else {
                throw AWSSetupError("extra_conn_words in \(origin) has the key \(field.debugDescription); the keys must be "
                    + "connection fields (\(fields.joined(separator: ", ")), or user). Airflow raises KeyError on every "
                    + "JSON connection secret.")
            }
            guard case .array(let items) = words, let strings = Optional(items.compactMap(\.stringValue)),
                  strings.count == items.count else {
                throw AWSSetupError("extra_conn_words[\(field.debugDescription)] in \(origin) must be a list of strings.")
            }
            result.append((target, strings))
        }
        return result
    }

    /// `slugify(name, regex_pattern=r"[^\w+=,.@-]+")`: lower case, runs of other characters to `-`.
    static func sessionName(_ text: String) -> String {
        var out = "", pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            let allowed = CharacterSet.alphanumerics.contains(scalar) || "_+=,.@-".unicodeScalars.contains(scalar)
            if allowed {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }
}

/// The deployment's shared credentials and config files.
struct SharedFiles {
    var credentials: SharedConfigFile
    var config: SharedConfigFile

    init(reader: AWSSettingsReader) throws {
        func path(_ variable: String, _ fallback: String) -> String {
            if let value = reader.env(variable) {
                let expanded = value.hasPrefix("~/") ? reader.homeDirectory.appendingPathComponent(String(value.dropFirst(2))).path : value
                return reader.deployment.localPath(expanded).path
            }
            return reader.homeDirectory.appendingPathComponent(".aws").appendingPathComponent(fallback).path
        }
        credentials = try SharedConfigFile.load(path: path("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
        config = try SharedConfigFile.load(path: path("AWS_CONFIG_FILE", "config"))
    }
}
