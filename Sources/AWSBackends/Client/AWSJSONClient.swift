import Foundation
import PythonCompat
import Engine
import RemoteSupport

/// Sends signed requests in AWS's JSON 1.1 protocol (`X-Amz-Target`) to one service, with
/// retries for throttling and server errors, and turns error answers into `AWSServiceError`.
struct AWSJSONClient: Sendable {
    let service: AWSService
    let endpoint: URL
    let region: String
    let transport: any HTTPTransport
    let credentials: AWSCredentialSource
    let retry: RetryPolicy
    let clock: any WallClock
    var timeout: Duration = .seconds(15)

    /// Calls `operation` with `input`, returning the decoded reply object.
    func call(_ operation: String, _ input: JSONObject) async throws -> JSONObject {
        var refreshed = false
        while true {
            do {
                return try await callOnce(operation, input)
            } catch let error as AWSServiceError where error.kind == .expiredCredentials && !refreshed {
                // Temporary credentials ran out mid-load: assume the role again, once.
                guard await credentials.canRefresh else { throw error }
                await credentials.invalidate()
                refreshed = true
            }
        }
    }

    private func callOnce(_ operation: String, _ input: JSONObject) async throws -> JSONObject {
        let body = Array(JSONValue.object(input).pythonDumps().utf8)
        let signer = SigV4Signer(service: service.signingName, region: region)
        var secrets: [String] = []
        let outcome: RetriedResponse
        do {
            outcome = try await retry.send(through: transport, clock: clock, isRetryable: Self.isRetryable) {
                let keys = try await credentials.current()
                secrets = [keys.secretAccessKey] + (keys.sessionToken.map { [$0] } ?? [])
                var request = HTTPRequest(method: "POST", url: endpoint, headers: [
                    (name: "Content-Type", value: "application/x-amz-json-1.1"),
                    (name: "X-Amz-Target", value: "\(service.targetPrefix).\(operation)"),
                ], body: body, timeout: timeout)
                signer.sign(&request, credentials: keys, date: clock.now())
                return request
            }
        } catch let failure as TransportFailure {
            var message = failure.description
            if endpoint.host?.hasSuffix(".amazonaws.com") == true, failure.kind == .unreachable {
                message += ". Check that the region \(region) exists and has \(service.displayName), and the network"
            } else {
                message += ". Check the endpoint URL and that the service is running"
            }
            throw AWSServiceError(kind: .unreachable, code: "", service: service, operation: operation, status: 0,
                                  serviceMessage: message)
        }
        let response = outcome.response
        if (200..<300).contains(response.status) {
            guard let document = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)),
                  case .object(let object) = document else {
                throw AWSServiceError(kind: .malformedReply, code: "", service: service, operation: operation,
                                      status: response.status,
                                      serviceMessage: NonJSONReply.explain(response))
            }
            return object
        }
        throw Self.error(from: response, service: service, operation: operation, redacting: secrets)
    }

    static func isRetryable(_ response: HTTPResponse) -> Bool {
        if RetryPolicy.isRetryable(status: response.status) { return true }
        guard response.status == 400 else { return false }
        let code = errorCode(response)
        return AWSServiceError.kind(code: code, status: 400) == .throttled
    }

    /// The error code of an error answer: `x-amzn-ErrorType`, the JSON `__type`/`code`, or XML `<Code>`.
    static func errorCode(_ response: HTTPResponse) -> String {
        if let header = response.header("x-amzn-ErrorType"), !header.isEmpty {
            return shortCode(String(header.prefix { $0 != ":" }))
        }
        let text = String(decoding: response.body.prefix(64 << 10), as: UTF8.self)
        if case .object(let object)? = try? JSONValue.parsePython(text) {
            if let type = object["__type"]?.stringValue ?? object["code"]?.stringValue ?? object["Code"]?.stringValue {
                return shortCode(type)
            }
        }
        return XMLFields.first("Code", in: text) ?? ""
    }

    static func shortCode(_ type: String) -> String {
        String(type.split(separator: "#").last ?? Substring(type))
    }

    static func error(from response: HTTPResponse, service: AWSService, operation: String, redacting secrets: [String]) -> AWSServiceError {
        let code = errorCode(response)
        let text = String(decoding: response.body.prefix(64 << 10), as: UTF8.self)
        var message = ""
        if case .object(let object)? = try? JSONValue.parsePython(text) {
            message = object["message"]?.stringValue ?? object["Message"]?.stringValue ?? ""
        } else {
            message = XMLFields.first("Message", in: text) ?? ""
        }
        let kind = code.isEmpty && response.status < 500 && response.status != 429 && response.status != 403
            ? AWSServiceError.Kind.malformedReply : AWSServiceError.kind(code: code, status: response.status)
        let clean = kind == .malformedReply
            ? "HTTP \(response.status) without an AWS error code"
            : AWSServiceError.sanitize(message, redacting: secrets)
        var error = AWSServiceError(kind: kind, code: code.isEmpty ? "HTTP \(response.status)" : code, service: service,
                                    operation: operation, status: response.status, serviceMessage: clean)
        if kind == .accessDenied {
            let parts = AWSServiceError.deniedParts(clean)
            error.deniedAction = parts.action ?? "\(service.rawValue):\(operation)"
            error.deniedResource = parts.resource
        }
        return error
    }
}

/// Minimal reading of the small XML documents STS and IAM answer with.
enum XMLFields {
    /// The text of the first `<name>…</name>`, with XML entities decoded.
    static func first(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return unescape(String(text[open.upperBound..<close.lowerBound]))
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#xD;", "\r"), ("&#xA;", "\n")] {
            out = out.replacingOccurrences(of: entity, with: character)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }
}
