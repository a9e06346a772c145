import Foundation
import PythonCompat
import Engine
import RemoteSupport

/// STS AssumeRole over the query protocol (form body, XML answer).
struct STSClient: Sendable {
    let endpoint: URL
    let region: String
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let clock: any WallClock

    func assumeRole(_ role: AssumeRoleSettings, with credentials: AWSCredentials) async throws -> AWSCredentials {
        var parameters: [(String, String)] = [("Action", "AssumeRole"), ("Version", "2011-06-15"),
                                              ("RoleSessionName", role.sessionName)]
        for (key, value) in role.parameters where key != "RoleArn" && key != "RoleSessionName" {
            parameters.append(contentsOf: QueryEncoding.flatten(key, value))
        }
        if let index = role.parameters.keys.firstIndex(of: "RoleSessionName"),
           let name = role.parameters[role.parameters.keys[index]]?.stringValue {
            parameters[2] = ("RoleSessionName", name)
        }
        parameters.append(("RoleArn", role.roleARN))
        let body = Array(QueryEncoding.form(parameters).utf8)
        let signer = SigV4Signer(service: "sts", region: region)
        let outcome: RetriedResponse
        do {
            outcome = try await retry.send(through: transport, clock: clock, isRetryable: AWSJSONClient.isRetryable) {
                var request = HTTPRequest(method: "POST", url: endpoint, headers: [
                    (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
                ], body: body)
                signer.sign(&request, credentials: credentials, date: clock.now())
                return request
            }
        } catch let failure as TransportFailure {
            throw AWSServiceError(kind: .unreachable, code: "", service: .sts, operation: "AssumeRole", status: 0,
                                  serviceMessage: failure.description + ". Check AWS_ENDPOINT_URL_STS / the STS endpoint")
        }
        let response = outcome.response
        let secrets = [credentials.secretAccessKey] + (credentials.sessionToken.map { [$0] } ?? [])
        guard (200..<300).contains(response.status) else {
            var error = AWSJSONClient.error(from: response, service: .sts, operation: "AssumeRole", redacting: secrets)
            if error.kind == .accessDenied {
                error.deniedAction = error.deniedAction ?? "sts:AssumeRole"
                error.deniedResource = error.deniedResource ?? role.roleARN
            }
            throw error
        }
        let text = String(decoding: response.body, as: UTF8.self)
        guard let key = XMLFields.first("AccessKeyId", in: text), let secret = XMLFields.first("SecretAccessKey", in: text),
              !key.isEmpty, !secret.isEmpty else {
            throw AWSServiceError(kind: .malformedReply, code: "", service: .sts, operation: "AssumeRole", status: response.status,
                                  serviceMessage: "no Credentials in the AssumeRole answer")
        }
        let expiration = XMLFields.first("Expiration", in: text).flatMap(ISO8601.parse)
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: XMLFields.first("SessionToken", in: text),
                              expiration: expiration, source: "role \(role.roleARN) via STS")
    }
}

/// AWS query-protocol form encoding.
enum QueryEncoding {
    static func form(_ parameters: [(String, String)]) -> String {
        parameters.map { "\(SigV4Signer.uriEncode($0.0))=\(SigV4Signer.uriEncode($0.1))" }.joined(separator: "&")
    }

    /// A JSON kwarg as query parameters: lists become `Name.member.N`, objects `Name.Field`.
    static func flatten(_ name: String, _ value: JSONValue) -> [(String, String)] {
        switch value {
        case .null: return []
        case .bool(let flag): return [(name, flag ? "true" : "false")]
        case .integer(let digits): return [(name, digits)]
        case .float(let number): return [(name, Int(exactly: number).map(String.init) ?? String(number))]
        case .string(let text): return [(name, text)]
        case .array(let items):
            return items.enumerated().flatMap { flatten("\(name).member.\($0.offset + 1)", $0.element) }
        case .object(let object):
            return object.flatMap { flatten("\(name).\($0.key)", $0.value) }
        }
    }
}

/// ISO 8601 dates as AWS writes them, with or without fractional seconds.
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
