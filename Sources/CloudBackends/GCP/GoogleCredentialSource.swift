import Foundation
import PythonCompat
import Engine

/// Where the GCP tier gets its OAuth 2 tokens, found the way Airflow's Google hook and
/// `google.auth.default()` find them.
enum GoogleCredentialSource: Sendable {
    case serviceAccount(ServiceAccountKey, origin: String)
    case authorizedUser(AuthorizedUserCredential, origin: String)
    /// The GCE/GKE metadata server (Workload Identity on Astro), `host[:port]`.
    case metadataServer(host: String)

    /// For the backend pane: what authenticates, without secrets.
    var summary: String {
        switch self {
        case .serviceAccount(let key, let origin): return "\(key) (\(origin))"
        case .authorizedUser(let user, let origin): return "\(user) (\(origin))"
        case .metadataServer(let host): return "metadata server \(host) (Workload Identity)"
        }
    }

    /// The project the credentials name, when they name one.
    var projectID: String? {
        switch self {
        case .serviceAccount(let key, _): return key.projectID
        case .authorizedUser(let user, _): return user.quotaProjectID
        case .metadataServer: return nil
        }
    }

    /// Finds the credentials: gcp_key_path, gcp_keyfile_dict, then Application Default
    /// Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, the metadata server).
    static func resolve(kwargs: BackendKwargs, deployment: Deployment) throws -> GoogleCredentialSource {
        let env = deployment.environment
        if let path = try kwargs.nonEmptyString("gcp_key_path") {
            if path.hasSuffix(".p12") {
                throw CloudFailure(.configuration, "gcp_key_path \(path): legacy P12 key files are not supported (Airflow refuses them too); use a JSON key file.")
            }
            guard path.hasSuffix(".json") else {
                throw CloudFailure(.configuration, "gcp_key_path \(path): unrecognised extension for a key file (Airflow accepts .json); use a JSON key file.")
            }
            return try fromFile(deployment.localPath(path), origin: "gcp_key_path \(path)", serviceAccountOnly: true)
        }
        if let value = kwargs["gcp_keyfile_dict"], value != .null, value != .string("") {
            let object: [String: Any]
            switch value {
            case .object(let members): object = members.foundationObject
            case .string(let text):
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    throw CloudFailure(.configuration, "gcp_keyfile_dict in \(kwargs.origin) is a string that is not a JSON object; "
                                       + "paste the whole service-account JSON key (an object), not a path.")
                }
                object = parsed
            default:
                throw CloudFailure(.configuration, "gcp_keyfile_dict in \(kwargs.origin) must be the service-account JSON key; it is \(value.typeName).")
            }
            return .serviceAccount(try ServiceAccountKey(json: object, origin: "gcp_keyfile_dict"), origin: "gcp_keyfile_dict")
        }
        if try kwargs.nonEmptyString("gcp_credential_config_file") != nil {
            throw CloudFailure(.configuration, "gcp_credential_config_file (workload identity federation) is not supported by Strata yet; "
                               + "use gcp_key_path, gcp_keyfile_dict or Application Default Credentials to browse this deployment.")
        }
        if let path = env["GOOGLE_APPLICATION_CREDENTIALS"], !path.isEmpty {
            return try fromFile(deployment.localPath(path), origin: "GOOGLE_APPLICATION_CREDENTIALS \(path)", serviceAccountOnly: false)
        }
        if let file = gcloudDefaultFile(env), FileManager.default.fileExists(atPath: file.path) {
            return try fromFile(file, origin: "gcloud application-default credentials \(file.path)", serviceAccountOnly: false)
        }
        return .metadataServer(host: env["GCE_METADATA_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "169.254.169.254")
    }

    /// gcloud's application-default file: `$CLOUDSDK_CONFIG/…` or `~/.config/gcloud/…`.
    private static func gcloudDefaultFile(_ env: DeploymentEnvironment) -> URL? {
        if let config = env["CLOUDSDK_CONFIG"], !config.isEmpty {
            return URL(fileURLWithPath: config).appendingPathComponent("application_default_credentials.json")
        }
        let home = env["HOME"] ?? ProcessInfo.processInfo.environment["HOME"]
        guard let home, !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".config/gcloud/application_default_credentials.json")
    }

    private static func fromFile(_ url: URL, origin: String, serviceAccountOnly: Bool) throws -> GoogleCredentialSource {
        let data: Data
        // Refuses a FIFO or a folder at once instead of blocking on it.
        do { data = try RegularFile.withBytes(url.path) { Data($0) } } catch let error as RegularFileError {
            throw CloudFailure(.configuration, "\(origin): the credentials file cannot be read: \(error.description)")
        } catch {
            throw CloudFailure(.configuration, "\(origin): the file \(url.path) cannot be read (missing or no permission).")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CloudFailure(.configuration, "\(origin): \(url.path) is not a JSON credentials file.")
        }
        let type = object["type"] as? String ?? "service_account"
        switch type {
        case "service_account":
            return .serviceAccount(try ServiceAccountKey(json: object, origin: origin), origin: origin)
        case "authorized_user" where !serviceAccountOnly:
            return .authorizedUser(try AuthorizedUserCredential(json: object, origin: origin), origin: origin)
        default:
            throw CloudFailure(.configuration, "\(origin): credentials of type \"\(type)\" are not supported by Strata yet; "
                               + "use a service-account key or `gcloud auth application-default login`.")
        }
    }
}

extension JSONObject {
    /// This object as Foundation values (for JSONSerialization).
    var foundationObject: [String: Any] {
        var out: [String: Any] = [:]
        for (key, value) in self { out[key] = value.foundationValue }
        return out
    }
}

extension JSONValue {
    var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .integer(let digits):
            if let number = Int(digits) { return number }
            return Double(digits) ?? 0
        case .float(let number): return number
        case .string(let text): return text
        case .array(let items): return items.map(\.foundationValue)
        case .object(let object): return object.foundationObject
        }
    }
}
