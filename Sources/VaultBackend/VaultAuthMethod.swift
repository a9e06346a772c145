import Foundation
import PythonCompat
import Engine

/// Where a credential is read from: the kwargs, a file read at login time (stripped, as the
/// provider does), or the deployment's environment.
public enum VaultCredentialSource: Sendable, Hashable {
    case literal(String)
    case file(URL)
    /// A variable of the deployment's environment (VAULT_TOKEN), captured when the tier was made.
    case environment(name: String, value: String)

    /// The credential's text. Files are read now, so a rotated token file is picked up.
    func read(what: String) throws -> String {
        switch self {
        case .literal(let value), .environment(_, let value):
            return value
        case .file(let url):
            // A FIFO or a folder named as the token file is refused at once instead of blocking.
            let data: Data
            do {
                data = try RegularFile.withBytes(url.path) { Data($0) }
            } catch let error as RegularFileError {
                throw VaultFailure(.configuration, "the \(what) file: \(error.description)")
            } catch {
                throw VaultFailure(.configuration, "cannot read the \(what) file \(url.path); check that it exists and is readable.")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw VaultFailure(.configuration, "the \(what) file \(url.path) is not UTF-8 text.")
            }
            let stripped = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stripped.isEmpty {
                throw VaultFailure(.configuration, "the \(what) file \(url.path) is empty.")
            }
            return stripped
        }
    }

    /// Where it comes from, without the credential.
    var summary: String {
        switch self {
        case .literal: return "kwargs"
        case .file(let url): return "file \(url.path)"
        case .environment(let name, _): return name
        }
    }
}

/// How Strata authenticates to Vault: the provider's `auth_type` values Strata supports.
public enum VaultAuthMethod: Sendable, Hashable, CustomStringConvertible {
    case token(VaultCredentialSource)
    case appRole(roleID: String, secretID: String?, mount: String)
    case userpass(username: String, password: String, mount: String)
    case ldap(username: String, password: String, mount: String)
    /// The service-account token is read from `jwtPath` at every login.
    case kubernetes(role: String, jwtPath: URL, mount: String)
    case jwt(role: String, token: VaultCredentialSource, mount: String)

    /// The `auth_type` values Airflow accepts but Strata cannot log in with yet.
    public static let unsupportedAuthTypes: Set<String> = ["aws_iam", "azure", "gcp", "github", "radius"]
    /// Every `auth_type` the provider accepts (hashicorp provider 4.x).
    public static let airflowAuthTypes: [String] = ["approle", "aws_iam", "azure", "github", "gcp", "jwt",
                                                    "kubernetes", "ldap", "radius", "token", "userpass"]

    /// Whether a rejected token can be replaced by logging in again.
    var canLogIn: Bool {
        if case .token = self { return false }
        return true
    }

    /// A summary without secrets: "AppRole role astro_role (mount approle)".
    public var description: String {
        switch self {
        case .token(let source): return "token from \(source.summary)"
        case .appRole(let roleID, _, let mount): return "AppRole role \(roleID) (auth/\(mount))"
        case .userpass(let user, _, let mount): return "userpass user \(user) (auth/\(mount))"
        case .ldap(let user, _, let mount): return "LDAP user \(user) (auth/\(mount))"
        case .kubernetes(let role, let path, let mount): return "Kubernetes role \(role), token \(path.path) (auth/\(mount))"
        case .jwt(let role, let token, let mount): return "JWT role \(role), token from \(token.summary) (auth/\(mount))"
        }
    }

    /// The login request: API path and JSON body, or `nil` for token auth. Secrets read from
    /// files are returned so that messages can be scrubbed of them.
    func loginRequest() throws -> (path: String, body: JSONObject, secrets: [String])? {
        switch self {
        case .token:
            return nil
        case .appRole(let roleID, let secretID, let mount):
            var body = JSONObject([("role_id", .string(roleID))])
            if let secretID { body["secret_id"] = .string(secretID) }
            return ("auth/\(mount)/login", body, [secretID].compactMap { $0 })
        case .userpass(let user, let password, let mount), .ldap(let user, let password, let mount):
            return ("auth/\(mount)/login/\(user.pythonQuotedSegment)", JSONObject([("password", .string(password))]), [password])
        case .kubernetes(let role, let path, let mount):
            let jwt = try VaultCredentialSource.file(path).read(what: "Kubernetes service-account token")
            return ("auth/\(mount)/login", JSONObject([("role", .string(role)), ("jwt", .string(jwt))]), [jwt])
        case .jwt(let role, let token, let mount):
            let jwt = try token.read(what: "JWT")
            return ("auth/\(mount)/login", JSONObject([("role", .string(role)), ("jwt", .string(jwt))]), [jwt])
        }
    }

    /// The secrets this method holds in memory, for scrubbing messages.
    var knownSecrets: [String] {
        switch self {
        case .token(.literal(let t)), .token(.environment(_, let t)): return [t]
        case .token(.file): return []
        case .appRole(_, let secretID, _): return [secretID].compactMap { $0 }
        case .userpass(_, let password, _), .ldap(_, let password, _): return [password]
        case .kubernetes: return []
        case .jwt(_, .literal(let t), _): return [t]
        case .jwt: return []
        }
    }
}

extension String {
    /// `urllib.parse.quote(s, safe="")`-like encoding for one path segment.
    var pythonQuotedSegment: String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "-"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// `urllib.parse.quote(s)` (safe `/`), for paths inside a mount.
    var pythonQuotedPath: String {
        split(separator: "/", omittingEmptySubsequences: false).map { String($0).pythonQuotedSegment }
            .joined(separator: "/")
    }
}
