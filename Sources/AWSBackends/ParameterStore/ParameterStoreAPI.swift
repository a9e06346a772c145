import Foundation
import PythonCompat
import Engine

/// The Parameter Store operations Strata uses.
struct ParameterStoreAPI: Sendable {
    let client: AWSJSONClient

    struct Parameter: Sendable {
        var name: String
        var type: String
        var value: String
        var version: String?
        var lastModified: Date?
        var arn: String?
        var dataType: String?
    }

    /// Every parameter under `path`, recursively, decrypted, every page (10 per page is the service's maximum).
    func parametersByPath(_ path: String, pageSize: Int = 10) async throws -> (parameters: [Parameter], pages: Int) {
        var parameters: [Parameter] = []
        var token: String?
        var pages = 0
        repeat {
            var input = JSONObject([("Path", .string(path)), ("Recursive", .bool(true)), ("WithDecryption", .bool(true)),
                                    ("MaxResults", .integer(String(pageSize)))])
            if let token { input["NextToken"] = .string(token) }
            let reply = try await client.call("GetParametersByPath", input)
            pages += 1
            guard case .array(let items)? = reply["Parameters"] ?? .array([]) else {
                throw malformed("GetParametersByPath", "Parameters is not a list")
            }
            for item in items {
                guard let parameter = item.objectValue.flatMap(Self.parameter) else {
                    throw malformed("GetParametersByPath", "a parameter has no Name or Value")
                }
                parameters.append(parameter)
            }
            token = reply["NextToken"]?.stringValue
            if token?.isEmpty == true { token = nil }
        } while token != nil
        return (parameters, pages)
    }

    /// One parameter, decrypted; `nil` when it does not exist (`ParameterNotFound`).
    func parameter(named name: String) async throws -> Parameter? {
        do {
            let reply = try await client.call("GetParameter", JSONObject([("Name", .string(name)), ("WithDecryption", .bool(true))]))
            guard let parameter = reply["Parameter"]?.objectValue.flatMap(Self.parameter) else {
                throw malformed("GetParameter", "the answer has no Parameter")
            }
            return parameter
        } catch let error as AWSServiceError where error.code == "ParameterNotFound" {
            return nil
        }
    }

    /// Up to 10 parameters by name, decrypted; names that do not exist are left out.
    func parameters(named names: [String]) async throws -> [Parameter] {
        let reply = try await client.call("GetParameters", JSONObject([("Names", .array(names.map(JSONValue.string))),
                                                                       ("WithDecryption", .bool(true))]))
        guard case .array(let items)? = reply["Parameters"] ?? .array([]) else { return [] }
        return items.compactMap { $0.objectValue.flatMap(Self.parameter) }
    }

    /// The parameter's type and KMS key, without its value (DescribeParameters).
    func describe(_ name: String) async throws -> (type: String, keyID: String?)? {
        let filter = JSONValue.object(JSONObject([("Key", .string("Name")), ("Option", .string("Equals")),
                                                  ("Values", .array([.string(name)]))]))
        let reply = try await client.call("DescribeParameters", JSONObject([("ParameterFilters", .array([filter]))]))
        guard case .array(let items)? = reply["Parameters"] else { return nil }
        for item in items {
            guard let object = item.objectValue, object["Name"]?.stringValue == name else { continue }
            return (object["Type"]?.stringValue ?? "String", object["KeyId"]?.stringValue)
        }
        return nil
    }

    /// Writes the value (overwriting); returns the new version.
    func putParameter(_ name: String, value: String, type: String, keyID: String?) async throws -> String? {
        try await putParameter(name, value: value, type: type, keyID: keyID, overwrite: true)
    }

    static func parameter(_ object: JSONObject) -> Parameter? {
        guard let name = object["Name"]?.stringValue, let value = object["Value"]?.stringValue else { return nil }
        var version: String?
        switch object["Version"] {
        case .integer(let digits)?: version = digits
        case .float(let number)?: version = Int(exactly: number).map(String.init)
        default: break
        }
        return Parameter(name: name, type: object["Type"]?.stringValue ?? "String", value: value, version: version,
                         lastModified: SecretsManagerAPI.date(object["LastModifiedDate"]), arn: object["ARN"]?.stringValue,
                         dataType: object["DataType"]?.stringValue)
    }

    func malformed(_ operation: String, _ what: String) -> AWSServiceError {
        AWSServiceError(kind: .malformedReply, code: "", service: .ssm, operation: operation, status: 200, serviceMessage: what)
    }
}
