import Foundation
import Engine
import RemoteSupport

/// A JSON object from a service reply, read leniently by key; a reply that is not a JSON
/// object is a `CloudFailure.malformed` naming the service and the request.
///
/// `@unchecked Sendable`: the parsed object is never mutated, and JSONSerialization builds it from immutable Foundation values.
struct JSONReply: @unchecked Sendable {
    let object: [String: Any]

    init(_ object: [String: Any]) { self.object = object }

    init(body: [UInt8], what: String) throws {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body)), let object = parsed as? [String: Any] else {
            throw CloudFailure(.malformed, "\(what) answered with something that is not a JSON object "
                               + "(\(body.count) bytes); check that the endpoint URL points at the real service, not a proxy or login page.")
        }
        self.object = object
    }

    /// The reply's body as a JSON object; otherwise a `CloudFailure.malformed` saying what it was instead.
    init(response: HTTPResponse, what: String) throws {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(response.body)), let object = parsed as? [String: Any] else {
            throw CloudFailure(.malformed, "\(what) \(NonJSONReply.explain(response))")
        }
        self.object = object
    }

    func string(_ key: String) -> String? { object[key] as? String }
    func bool(_ key: String) -> Bool? { object[key] as? Bool }
    func int(_ key: String) -> Int? {
        if let number = object[key] as? NSNumber, !(object[key] is Bool) { return number.intValue }
        if let text = object[key] as? String { return Int(text) }
        return nil
    }
    func child(_ key: String) -> JSONReply? { (object[key] as? [String: Any]).map(JSONReply.init) }
    func children(_ key: String) -> [JSONReply]? { (object[key] as? [Any])?.compactMap { ($0 as? [String: Any]).map(JSONReply.init) } }
    func stringMap(_ key: String) -> [String: String] {
        guard let map = object[key] as? [String: Any] else { return [:] }
        return map.compactMapValues { $0 as? String }
    }
}

/// Builds a JSON request body from plain values.
func jsonBody(_ object: [String: Any]) -> [UInt8] {
    Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
}
