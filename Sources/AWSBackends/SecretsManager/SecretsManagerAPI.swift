import Foundation
import PythonCompat
import Engine

/// The Secrets Manager operations Strata uses.
struct SecretsManagerAPI: Sendable {
    let client: AWSJSONClient

    struct SecretEntry: Sendable {
        var name: String
        var arn: String?
        var lastChanged: Date?
        var created: Date?
        /// Version id → staging labels.
        var versionStages: [String: [String]]
    }

    struct SecretValue: Sendable {
        var name: String
        var arn: String?
        var versionID: String?
        var secretString: String?
        var isBinary: Bool
        var stages: [String]
        var created: Date?
    }

    struct BatchError: Sendable {
        var secretID: String
        var code: String
        var message: String
    }

    /// Characters AWS accepts in a ListSecrets filter value.
    static func isFilterable(_ prefix: String) -> Bool {
        !prefix.hasPrefix("!") && prefix.count <= 512 && prefix.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || " :_@/+=.-".unicodeScalars.contains($0)
        }
    }

    /// Every secret whose name starts with `prefix` ("" for all), every page.
    func listSecrets(prefix: String, pageSize: Int = 100) async throws -> (entries: [SecretEntry], pages: Int) {
        var entries: [SecretEntry] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await listSecretsPage(prefix: prefix, token: token, pageSize: pageSize)
            entries += page.entries
            token = page.nextToken
            pages += 1
        } while token != nil
        return (entries, pages)
    }

    /// One ListSecrets page of the secrets whose name starts with `prefix`, filtered on the
    /// service side when AWS accepts the prefix as a filter value (and always on this side).
    func listSecretsPage(prefix: String, token: String?, pageSize: Int = 100) async throws -> (entries: [SecretEntry], nextToken: String?) {
        var input = JSONObject([("MaxResults", .integer(String(pageSize)))])
        if !prefix.isEmpty && Self.isFilterable(prefix) {
            input["Filters"] = .array([.object(JSONObject([("Key", .string("name")), ("Values", .array([.string(prefix)]))]))])
        }
        if let token { input["NextToken"] = .string(token) }
        let reply = try await client.call("ListSecrets", input)
        guard case .array(let list)? = reply["SecretList"] ?? .array([]) else {
            throw malformed("ListSecrets", "SecretList is not a list")
        }
        var entries: [SecretEntry] = []
        for item in list {
            guard let object = item.objectValue, let name = object["Name"]?.stringValue else {
                throw malformed("ListSecrets", "a SecretList entry has no Name")
            }
            guard name.hasPrefix(prefix) else { continue }
            var stages: [String: [String]] = [:]
            if let map = object["SecretVersionsToStages"]?.objectValue {
                for (version, labels) in map {
                    if case .array(let items) = labels { stages[version] = items.compactMap(\.stringValue) }
                }
            }
            entries.append(SecretEntry(name: name, arn: object["ARN"]?.stringValue,
                                       lastChanged: Self.date(object["LastChangedDate"]),
                                       created: Self.date(object["CreatedDate"]), versionStages: stages))
        }
        let next = reply["NextToken"]?.stringValue
        return (entries, next?.isEmpty == false ? next : nil)
    }

    /// Up to 20 secrets' current values in one call, with per-secret errors.
    func batchGetSecretValue(_ ids: [String]) async throws -> (values: [SecretValue], errors: [BatchError]) {
        precondition(ids.count <= 20, "BatchGetSecretValue takes at most 20 ids")
        let reply = try await client.call("BatchGetSecretValue",
                                          JSONObject([("SecretIdList", .array(ids.map(JSONValue.string)))]))
        var values: [SecretValue] = []
        if case .array(let items)? = reply["SecretValues"] {
            for item in items {
                guard let object = item.objectValue, let value = Self.secretValue(object) else {
                    throw malformed("BatchGetSecretValue", "a SecretValues entry has no Name")
                }
                values.append(value)
            }
        }
        var errors: [BatchError] = []
        if case .array(let items)? = reply["Errors"] {
            for item in items {
                guard let object = item.objectValue else { continue }
                errors.append(BatchError(secretID: object["SecretId"]?.stringValue ?? "",
                                         code: object["ErrorCode"]?.stringValue ?? "",
                                         message: object["Message"]?.stringValue ?? ""))
            }
        }
        return (values, errors)
    }

    func getSecretValue(_ id: String) async throws -> SecretValue {
        let reply = try await client.call("GetSecretValue", JSONObject([("SecretId", .string(id))]))
        guard let value = Self.secretValue(reply) else { throw malformed("GetSecretValue", "the answer has no Name") }
        return value
    }

    /// Stores a new current version; returns its version id.
    func putSecretValue(_ id: String, secretString: String, token: String) async throws -> String? {
        let reply = try await client.call("PutSecretValue", JSONObject([
            ("SecretId", .string(id)), ("SecretString", .string(secretString)), ("ClientRequestToken", .string(token)),
        ]))
        return reply["VersionId"]?.stringValue
    }

    /// Creates the secret with its first value; returns the version id.
    func createSecret(_ name: String, secretString: String, token: String) async throws -> String? {
        let reply = try await client.call("CreateSecret", JSONObject([
            ("Name", .string(name)), ("SecretString", .string(secretString)), ("ClientRequestToken", .string(token)),
        ]))
        return reply["VersionId"]?.stringValue
    }

    static func secretValue(_ object: JSONObject) -> SecretValue? {
        guard let name = object["Name"]?.stringValue else { return nil }
        var stages: [String] = []
        if case .array(let items)? = object["VersionStages"] { stages = items.compactMap(\.stringValue) }
        let string = object["SecretString"]?.stringValue
        return SecretValue(name: name, arn: object["ARN"]?.stringValue, versionID: object["VersionId"]?.stringValue,
                           secretString: string, isBinary: string == nil && object["SecretBinary"] != nil,
                           stages: stages, created: date(object["CreatedDate"]))
    }

    /// AWS JSON timestamps are epoch seconds (a number); some emulators send ISO text.
    static func date(_ value: JSONValue?) -> Date? {
        switch value {
        case .float(let seconds)?: return Date(timeIntervalSince1970: seconds)
        case .integer(let digits)?: return Double(digits).map(Date.init(timeIntervalSince1970:))
        case .string(let text)?: return ISO8601.parse(text) ?? Double(text).map(Date.init(timeIntervalSince1970:))
        default: return nil
        }
    }

    func malformed(_ operation: String, _ what: String) -> AWSServiceError {
        AWSServiceError(kind: .malformedReply, code: "", service: .secretsManager, operation: operation, status: 200,
                        serviceMessage: what)
    }
}
