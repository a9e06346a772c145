import Engine
import PythonCompat
import RemoteSupport

/// Single connections and variables: read, create, update with `update_mask`, delete.
extension AirflowAPIClient {
    /// The record for one entry now, or nil when the API has none.
    func record(_ key: SecretKey) async throws -> TierRecord? {
        let collection = key.kind == .connection ? AirflowAPICollection.connections : .variables
        let response = try await send("GET", try itemPath(key))
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, doing: "reading \(describe(key))") }
        guard case .object(let item)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)) else {
            throw AirflowAPIFailure(.malformed, "reading \(describe(key)) at \(host) \(NonJSONReply.explain(response))")
        }
        let record = collection == .connections
            ? AirflowAPIEntry.connectionRecord(item, version: version)
            : AirflowAPIEntry.variableRecord(item, reserializes: version == .v2)
        guard let record, record.name == key.id else {
            throw AirflowAPIFailure(.malformed, "reading \(describe(key)) at \(host) answered another entry or none")
        }
        return record
    }

    /// `POST` a new entry.
    func create(_ key: SecretKey, body: JSONObject) async throws {
        let collection = key.kind == .connection ? "connections" : "variables"
        let response = try await send("POST", "/\(collection)", body: .object(body))
        guard response.status == 200 || response.status == 201 else {
            if response.status == 409 {
                throw AirflowAPIFailure(.conflict, "\(describe(key)) was created by someone else since Strata read it; nothing was written")
            }
            throw failure(response, doing: "creating \(describe(key))")
        }
    }

    /// `PATCH` the fields named in `mask` (and only those: a hidden field is never sent).
    /// Airflow 3 reads `update_mask` repeated; Airflow 2 reads one comma-separated value (and
    /// keeps only the last of repeated ones), where a variable's value is called `val`.
    func update(_ key: SecretKey, body: JSONObject, mask: [String]) async throws {
        let query: [(String, String)]
        switch version {
        case .v2: query = mask.map { ("update_mask", $0) }
        case .v1: query = [("update_mask", mask.map { $0 == "value" && key.kind == .variable ? "val" : $0 }.joined(separator: ","))]
        }
        let response = try await send("PATCH", try itemPath(key), query: query, body: .object(body))
        guard response.status == 200 else {
            if response.status == 404 {
                throw AirflowAPIFailure(.conflict, "\(describe(key)) was deleted by someone else since Strata read it; nothing was written")
            }
            throw failure(response, doing: "updating \(describe(key))")
        }
    }

    /// `DELETE` an entry.
    func delete(_ key: SecretKey) async throws {
        let response = try await send("DELETE", try itemPath(key))
        guard response.status == 204 || response.status == 200 else {
            if response.status == 404 {
                throw AirflowAPIFailure(.conflict, "\(describe(key)) was deleted by someone else since Strata read it")
            }
            throw failure(response, doing: "deleting \(describe(key))")
        }
    }

    /// `/connections/<id>`, the id escaped. An id with `/` cannot be addressed: the server
    /// decodes `%2F` before routing.
    func itemPath(_ key: SecretKey) throws -> String {
        guard !key.id.contains("/") else {
            throw AirflowAPIFailure(.invalid, "\(describe(key)) holds a '/', which Airflow's REST API cannot address "
                                    + "(the server decodes %2F before routing); change it where the database is reachable")
        }
        return "/\(key.kind == .connection ? "connections" : "variables")/\(Self.escape(key.id))"
    }

    func describe(_ key: SecretKey) -> String {
        "\(key.kind == .connection ? "connection" : "variable") '\(InertText.make(key.id))'"
    }
}
