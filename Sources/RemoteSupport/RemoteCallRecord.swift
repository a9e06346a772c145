import Foundation
import Engine

/// How one HTTP request appears in the operations log: the host, the API operation (the
/// `X-Amz-Target` action, a form body's `Action`, else the method and path without the
/// query), the status or the failure's class, and how long it took. Never a header, a body,
/// a query string or a token.
public enum RemoteCallRecord {
    /// The entry for a request that got an HTTP answer.
    public static func entry(for request: HTTPRequest, status: Int, duration: Duration) -> OperationLog.Entry {
        OperationLog.Entry(kind: .call, target: request.url.displayHost, name: operation(of: request),
                           result: "HTTP \(status)", succeeded: status < 400, duration: duration)
    }

    /// The entry for a request that got no answer.
    public static func entry(for request: HTTPRequest, failure: Error, duration: Duration) -> OperationLog.Entry {
        OperationLog.Entry(kind: .call, target: request.url.displayHost, name: operation(of: request),
                           result: failureClass(failure), succeeded: false, duration: duration)
    }

    /// `secretsmanager.GetSecretValue`, `AssumeRole`, or `GET /v1/secret/data/connections/x`.
    public static func operation(of request: HTTPRequest) -> String {
        if let target = request.headers.first(where: { $0.name.lowercased() == "x-amz-target" })?.value, !target.isEmpty {
            return target
        }
        if let action = formAction(request) { return action }
        return "\(request.method) \(path(of: request.url))"
    }

    /// The path as sent, without query or fragment.
    static func path(of url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
        return path.isEmpty ? "/" : path
    }

    /// The `Action` of an AWS query-protocol request (`Action=AssumeRole&…`); the rest of the
    /// body is not looked at.
    static func formAction(_ request: HTTPRequest) -> String? {
        guard let type = request.headers.first(where: { $0.name.lowercased() == "content-type" })?.value,
              type.lowercased().hasPrefix("application/x-www-form-urlencoded"), request.body.count < 8192 else { return nil }
        let prefix = Array("Action=".utf8)
        for pair in request.body.split(separator: UInt8(ascii: "&")) where pair.starts(with: prefix) {
            let name = pair.dropFirst(prefix.count)
            let letters = name.allSatisfy { (65...90).contains($0) || (97...122).contains($0) }
            return !name.isEmpty && name.count <= 64 && letters ? String(decoding: name, as: UTF8.self) : nil
        }
        return nil
    }

    /// `timeout`, `unreachable`, `tls`, `cancelled`, or the error's type name.
    static func failureClass(_ error: Error) -> String {
        switch error {
        case let failure as TransportFailure: return failure.kind.rawValue
        case is CancellationError: return "cancelled"
        default: return String(describing: type(of: error))
        }
    }
}
