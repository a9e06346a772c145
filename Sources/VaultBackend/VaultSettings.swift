import Foundation
import PythonCompat
import Engine

/// A Vault backend's settings, read from its kwargs and the deployment's environment as the
/// hashicorp provider (and hvac underneath it) reads them.
public struct VaultSettings: Sendable {
    /// `url`, else VAULT_ADDR, else `http://localhost:8200`; no trailing `/`.
    public var url: URL
    /// Sent as `X-Vault-Namespace` on every request (Vault Enterprise, HCP, OpenBao 2.3+).
    public var namespace: String?
    public var auth: VaultAuthMethod
    /// A PEM bundle trusted besides the system roots (`verify` as a path, VAULT_CACERT,
    /// REQUESTS_CA_BUNDLE or SSL_CERT_FILE).
    public var caBundlePath: String?
    /// hvac's `timeout` (30 s by default).
    public var timeout: Duration
    /// Mount, KV version and base paths.
    public var naming: BackendNaming
    public var vault: VaultNamingSettings
    /// Base paths of config options (`config_path`), `nil` when disabled.
    public var configPaths: [String]?
    /// Things that do not stop the tier but the user should know.
    public var warnings: [String]

    /// Reads the settings; throws `VaultFailure(.configuration)` with what to fix.
    public init(configuration: BackendConfiguration, deployment: Deployment) throws {
        let kwargs = configuration.kwargs
        let env = deployment.environment
        naming = BackendNaming(configuration: configuration, version: deployment.airflowVersion, teams: deployment.teamLookup)
        guard let vault = naming.vault else {
            throw VaultFailure(.configuration, "\(configuration.classPath) is not the Vault backend.")
        }
        self.vault = vault
        if let problem = naming.problems.first(where: { $0.contains("fails to start") || $0.contains("VaultError") }) {
            throw VaultFailure(.configuration, "Vault backend settings: \(problem).")
        }
        warnings = naming.problems
        let reader = KwargReader(kwargs: kwargs)

        let urlText = reader.string("url") ?? env["VAULT_ADDR"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:8200"
        guard var components = URLComponents(string: urlText.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              components.host?.isEmpty == false else {
            throw VaultFailure(.configuration, "the Vault url \(Self.displayURL(urlText)) is not an http(s) URL with a host; "
                               + "set url in the backend kwargs (or VAULT_ADDR).")
        }
        components.user = nil
        components.password = nil
        while components.path.hasSuffix("/") { components.path.removeLast() }
        url = components.url!

        namespace = reader.string("namespace")
        if namespace == nil, let host = url.host, host.hasSuffix(".hashicorp.cloud") {
            warnings.append("HCP Vault keeps secrets in a namespace (usually \"admin\"); without \"namespace\" in the kwargs "
                            + "every request goes to the root namespace and is refused.")
        }

        timeout = try Self.timeout(reader.kwargs["timeout"])

        caBundlePath = try Self.caBundle(kwargs: kwargs, deployment: deployment, isHTTPS: url.scheme == "https")
        configPaths = try Self.configPaths(kwargs)
        auth = try Self.authMethod(reader: reader, deployment: deployment)
    }

    /// What authenticates this tier and where it connects, without secrets.
    public var summary: String {
        var parts = [SecretRedaction.maskURLCredentials(in: url.absoluteString)]
        if let namespace { parts.append("namespace \(namespace)") }
        parts.append(auth.description)
        return parts.joined(separator: " · ")
    }

    static func displayURL(_ text: String) -> String {
        // Never echo credentials someone put into the URL, even one that does not parse.
        "\"\(SecretRedaction.maskURLCredentials(in: text))\""
    }

    // MARK: Pieces

    static func authMethod(reader: KwargReader, deployment: Deployment) throws -> VaultAuthMethod {
        let authType: String
        switch reader.kwargs["auth_type"] {
        case nil, .null?: authType = "token"
        case .string(let s)?: authType = s
        case let value?:
            throw VaultFailure(.configuration, "auth_type must be a string, not \(value.pythonTypeName).")
        }
        let mountOverride = reader.string("auth_mount_point")
        func mount(_ defaultMount: String) -> String {
            (mountOverride ?? defaultMount).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        }
        func required(_ name: String) throws -> String {
            guard let value = reader.string(name) else {
                throw VaultFailure(.configuration, "Vault '\(authType)' auth needs \(name) in the backend kwargs "
                                   + "(Airflow raises VaultError at start-up without it).")
            }
            return value
        }
        switch authType {
        case "token":
            if let token = reader.string("token") { return .token(.literal(token)) }
            if let path = reader.string("token_path") { return .token(.file(deployment.localPath(path))) }
            if let token = deployment.environment["VAULT_TOKEN"], !token.isEmpty {
                return .token(.environment(name: "VAULT_TOKEN", value: token))
            }
            throw VaultFailure(.configuration, "Vault 'token' auth needs token, token_path or VAULT_TOKEN in the deployment's "
                               + "environment; none is set.")
        case "approle":
            return .appRole(roleID: try required("role_id"), secretID: reader.string("secret_id"), mount: mount("approle"))
        case "userpass":
            return .userpass(username: try required("username"), password: try required("password"), mount: mount("userpass"))
        case "ldap":
            return .ldap(username: try required("username"), password: try required("password"), mount: mount("ldap"))
        case "kubernetes":
            let role = try required("kubernetes_role")
            let path: String
            switch reader.kwargs["kubernetes_jwt_path"] {
            case nil: path = "/var/run/secrets/kubernetes.io/serviceaccount/token"
            case .string(let s)? where !s.isEmpty: path = s
            default:
                throw VaultFailure(.configuration, "Vault 'kubernetes' auth needs kubernetes_jwt_path (the service-account token file).")
            }
            return .kubernetes(role: role, jwtPath: deployment.localPath(path), mount: mount("kubernetes"))
        case "jwt":
            let role = try required("jwt_role")
            if let token = reader.string("jwt_token") { return .jwt(role: role, token: .literal(token), mount: mount("jwt")) }
            if let path = reader.string("jwt_token_path") {
                return .jwt(role: role, token: .file(deployment.localPath(path)), mount: mount("jwt"))
            }
            throw VaultFailure(.configuration, "Vault 'jwt' auth needs jwt_token or jwt_token_path in the backend kwargs.")
        default:
            if VaultAuthMethod.unsupportedAuthTypes.contains(authType) {
                throw VaultFailure(.configuration, "Vault auth_type '\(authType)' is not supported by Strata yet; Strata can log in "
                                   + "with token, approle, userpass, ldap, kubernetes and jwt. To browse this deployment, "
                                   + "give Strata a token (VAULT_TOKEN in the deployment's environment, with auth_type token).")
            }
            throw VaultFailure(.configuration, "Vault auth_type '\(authType)' is not one Airflow accepts ("
                               + VaultAuthMethod.airflowAuthTypes.joined(separator: ", ") + "); Airflow fails to start.")
        }
    }

    static func caBundle(kwargs: JSONObject, deployment: Deployment, isHTTPS: Bool) throws -> String? {
        func checked(_ value: String, from origin: String) throws -> String {
            let path = deployment.localPath(value).path
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw VaultFailure(.configuration, "\(origin) names \(value), which cannot be read; Strata never turns certificate "
                                   + "checks off. Point it at the PEM bundle of the CA that signed Vault's certificate.")
            }
            return path
        }
        switch kwargs["verify"] {
        case .bool(false)?, .integer("0")?:
            guard isHTTPS else { return nil }
            throw VaultFailure(.configuration, "verify is false, so Airflow skips Vault's certificate check; Strata never does. "
                               + "Set verify to the path of the CA bundle (PEM) that signed Vault's certificate.")
        case .string(let path)? where !path.isEmpty:
            return try checked(path, from: "verify")
        default:
            break
        }
        for name in ["VAULT_CACERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"] {
            if let value = deployment.environment[name], !value.isEmpty { return try checked(value, from: name) }
        }
        return nil
    }

    /// hvac's `timeout` kwarg: 30 s when absent or null, else a finite number of seconds in
    /// `RemoteTimeouts.acceptedSeconds`; anything else (1e300, Infinity, -1, "soon") is refused
    /// rather than turned into a duration that overflows. Strata also caps each request at the
    /// deployment's request timeout.
    static func timeout(_ value: JSONValue?) throws -> Duration {
        let seconds: Double?
        switch value {
        case nil, .null?: return .seconds(30)
        case .integer(let digits)?: seconds = Double(digits)
        case .float(let number)?: seconds = number
        case .string(let text)?: seconds = Double(text.trimmingCharacters(in: .whitespaces))
        default: seconds = nil
        }
        let range = RemoteTimeouts.acceptedSeconds
        guard let seconds, let duration = RemoteTimeouts.duration(seconds: seconds) else {
            let shown: String
            switch value {
            case .integer(let digits)?: shown = String(digits.prefix(24))
            case .float(let number)?: shown = "\(number)"
            case .string(let text)?: shown = "\"\(String(text.prefix(24)).filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".-+ ".contains($0)) })\""
            case let other?: shown = other.pythonTypeName
            case nil: shown = "missing"
            }
            throw VaultFailure(.configuration, "timeout in the backend kwargs must be a number of seconds from \(range.lowerBound) "
                               + "to \(Int(range.upperBound)); it is \(shown). Fix it in the backend kwargs.")
        }
        return duration
    }

    static func configPaths(_ kwargs: JSONObject) throws -> [String]? {
        switch kwargs["config_path"] {
        case nil: return ["config"]
        case .null?: return nil
        case .string(let s)?: return [s.strippingTrailingSlashes]
        case .array(let items)?:
            let paths = items.compactMap(\.stringValue)
            guard paths.count == items.count else {
                throw VaultFailure(.configuration, "config_path must be a string or a list of strings.")
            }
            return paths.isEmpty ? nil : paths.map(\.strippingTrailingSlashes)
        case let value?:
            throw VaultFailure(.configuration, "config_path must be a string, a list of strings or null, not \(value.pythonTypeName).")
        }
    }
}

/// Python-style reading of kwargs: a string counts only when truthy.
struct KwargReader {
    var kwargs: JSONObject

    func string(_ name: String) -> String? {
        guard let s = kwargs[name]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    func number(_ name: String) -> Double? {
        switch kwargs[name] {
        case .integer(let digits)?: return Double(digits)
        case .float(let d)?: return d
        case .string(let s)?: return Double(s)
        default: return nil
        }
    }
}

extension String {
    var strippingTrailingSlashes: String {
        var s = self
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}

