import Foundation
import AWSBackends
import Engine
import PythonCompat
import RemoteSupport

/// Carries Airflow REST API requests through Amazon MWAA's `InvokeRestApi`: each request
/// becomes `POST /restapi/<environment>` with `{"Path", "Method", "QueryParameters", "Body"}`,
/// signed with the deployment's AWS credentials, and the envelope's `RestApiStatusCode` and
/// `RestApiResponse` become the reply the client reads. MWAA's own refusals (access denied, no
/// such environment, a bad signature) are failures that name MWAA, not Airflow.
struct MWAATransport: HTTPTransport {
    let inner: any HTTPTransport
    let signer: AWSRequestSigner
    let environment: String

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var envelope = JSONObject()
        envelope["Path"] = .string(Self.apiPath(request.url))
        envelope["Method"] = .string(request.method)
        let query = Self.queryParameters(request.url)
        if !query.isEmpty { envelope["QueryParameters"] = .object(query) }
        if !request.body.isEmpty {
            guard case .object(let body)? = try? JSONValue.parsePython(String(decoding: request.body, as: UTF8.self)) else {
                throw AirflowAPIFailure(.invalid, "MWAA's InvokeRestApi takes a JSON object as the body")
            }
            envelope["Body"] = .object(body)
        }
        let base = signer.endpoint.absoluteString.hasSuffix("/") ? String(signer.endpoint.absoluteString.dropLast())
            : signer.endpoint.absoluteString
        guard let url = URL(string: base + "/restapi/" + AirflowAPIClient.escape(environment)) else {
            throw AirflowAPIFailure(.configuration, "the MWAA endpoint \(InertText.make(base)) is not a usable URL")
        }
        var signed = HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                 body: Array(JSONValue.object(envelope).pythonDumps().utf8), timeout: request.timeout)
        try await signer.sign(&signed)
        let response: HTTPResponse
        do {
            response = try await inner.send(signed)
        } catch let failure as TransportFailure where !failure.isTransient {
            throw AirflowAPIFailure(.unavailable, "cannot talk to MWAA at \(signer.endpoint.displayHost): \(failure)")
        }
        return try unwrap(response)
    }

    /// The reply the Airflow API gave, out of MWAA's envelope.
    private func unwrap(_ response: HTTPResponse) throws -> HTTPResponse {
        let errorType = response.header("x-amzn-ErrorType").map { String($0.split(separator: ":").first ?? "") } ?? ""
        let reply = (try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)))?.objectValue
        if response.status == 200 || errorType.hasPrefix("RestApiClientException") || errorType.hasPrefix("RestApiServerException") {
            guard let reply, case .integer(let codeText)? = reply["RestApiStatusCode"], let code = Int(codeText), (100...599).contains(code) else {
                if response.status >= 500 { return response } // retried by the client's policy
                throw AirflowAPIFailure(.malformed, "MWAA's InvokeRestApi \(NonJSONReply.summary(response)) without a RestApiStatusCode")
            }
            let inner = reply["RestApiResponse"] ?? .object(JSONObject())
            return HTTPResponse(status: code, headers: [("Content-Type", "application/json")], body: Array(inner.pythonDumps().utf8))
        }
        let message = (reply?["message"] ?? reply?["Message"])?.stringValue.map { ": " + InertText.make(String($0.prefix(300))) } ?? ""
        switch (response.status, errorType) {
        case (_, "UnrecognizedClientException"), (_, "InvalidSignatureException"), (_, "ExpiredTokenException"), (401, _):
            throw AirflowAPIFailure(.unauthorized, "AWS refused the deployment's credentials for MWAA (\(errorType))\(message); "
                                    + "check the AWS keys or profile in its environment")
        case (403, _), (_, "AccessDeniedException"):
            throw AirflowAPIFailure(.forbidden, "MWAA refused InvokeRestApi on environment '\(InertText.make(environment))' "
                                    + "(\(errorType.isEmpty ? "HTTP 403" : errorType))\(message); the AWS identity needs "
                                    + "airflow:InvokeRestApi on it, and a role in Airflow that may read connections and variables")
        case (404, _), (_, "ResourceNotFoundException"):
            throw AirflowAPIFailure(.notFound, "MWAA has no environment '\(InertText.make(environment))' in \(signer.region)\(message); "
                                    + "check api.mwaa.name and region")
        default:
            if response.status >= 500 || response.status == 429 { return response } // retried by the client's policy
            throw AirflowAPIFailure(.invalid, "MWAA refused InvokeRestApi (\(errorType.isEmpty ? "HTTP \(response.status)" : errorType))\(message)")
        }
    }

    /// The Airflow API path of `url`, relative to its `/api/v1` or `/api/v2` prefix.
    static func apiPath(_ url: URL) -> String {
        let path = url.path
        for prefix in ["/api/v1", "/api/v2"] {
            if let range = path.range(of: prefix) { return String(path[range.upperBound...]) }
        }
        return path
    }

    /// The query as InvokeRestApi's object: one value as text, repeated names as a list.
    static func queryParameters(_ url: URL) -> JSONObject {
        var object = JSONObject()
        for item in URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [] {
            let value = JSONValue.string(item.value ?? "")
            switch object[item.name] {
            case nil: object[item.name] = value
            case .array(let items)?: object[item.name] = .array(items + [value])
            case let existing?: object[item.name] = .array([existing, value])
            }
        }
        return object
    }
}
