import Foundation

/// A deployment's Airflow REST API (`api:` in the workspace file): where it is and how Strata
/// signs in. Secrets are never stored here, only the names of the variables that hold them.
public struct AirflowAPISettings: Sendable, Hashable {
    /// The Airflow base URL, what the UI is served from, without a trailing slash.
    public var baseURL: URL
    public var signIn: SignIn

    public enum SignIn: Sendable, Hashable {
        /// A bearer token read from this environment variable (an Astro Deployment API token, a JWT…).
        case token(variable: String)
        /// A user and the variable holding the password: exchanged for a JWT at `/auth/token` on
        /// Airflow 3, sent as HTTP basic auth on Airflow 2.
        case password(username: String, variable: String)
        /// Amazon MWAA's `InvokeRestApi`, signed with the deployment's AWS credentials.
        case mwaa(environment: String, region: String)
        /// A Google access token from the deployment's GCP credentials (Cloud Composer).
        case google
    }

    public init(baseURL: URL, signIn: SignIn) {
        self.baseURL = baseURL
        self.signIn = signIn
    }

    /// `host` or `host:port`, for labels and messages.
    public var hostText: String {
        guard let host = baseURL.host else { return baseURL.absoluteString }
        return baseURL.port.map { "\(host):\($0)" } ?? host
    }

    /// Checks a base URL from the workspace file: http or https, a host, no credentials, query
    /// or fragment. Returns the URL without a trailing slash, or what is wrong with it.
    public static func checkBaseURL(_ text: String) -> Result<URL, URLProblem> {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            return .failure(.notHTTP)
        }
        guard let host = components.host, !host.isEmpty else { return .failure(.noHost) }
        if components.user != nil || components.password != nil { return .failure(.credentials) }
        if components.query != nil || components.fragment != nil { return .failure(.queryOrFragment) }
        guard let url = components.url else { return .failure(.notHTTP) }
        return .success(url)
    }

    public enum URLProblem: Error, Sendable, CustomStringConvertible {
        case notHTTP, noHost, credentials, queryOrFragment

        public var description: String {
            switch self {
            case .notHTTP: return "must be an http:// or https:// URL"
            case .noHost: return "has no host"
            case .credentials: return "must not carry credentials (name the variable that holds them with token_env or password_env)"
            case .queryOrFragment: return "must not have a query or fragment"
            }
        }
    }
}
