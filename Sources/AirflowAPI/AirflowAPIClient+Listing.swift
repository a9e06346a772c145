import Engine
import PythonCompat
import RemoteSupport

/// One of the two collections the metastore tier lists.
enum AirflowAPICollection: String, Sendable {
    case connections, variables

    /// "listing connections", for messages.
    var listing: String { "listing \(rawValue)" }
}

/// Every item of a collection, read page by page.
struct AirflowAPIListing: Sendable {
    var items: [JSONObject]
    /// Set when the collection changed while it was read (the pages do not add up).
    var warning: String?
    /// Requests it took.
    var requests: Int
}

extension AirflowAPIClient {
    /// The most entries Strata reads from one collection: a reply claiming more is refused
    /// rather than paged through for hours.
    static let maximumEntries = 2_000_000

    /// The most pages Strata reads from one collection after the first. A server that pages a
    /// handful of items at a time while claiming many would otherwise cost one request per
    /// handful (a fuzzed reply of 1 item a page and 77,771 entries asked for 77,770 more).
    static let maximumPages = 1_000

    /// Lists `collection` whole: the first page says how many there are and how many the server
    /// allows per page (Airflow clamps `limit` to `[api] maximum_page_limit`), the rest are read
    /// `concurrency` at a time. Items are kept in the server's order; one seen twice (rows
    /// moving between pages while they are read) is kept once.
    func listAll(_ collection: AirflowAPICollection, concurrency: Int) async throws -> AirflowAPIListing {
        let first = try await page(collection, offset: 0, limit: AirflowAPIVersion.requestedPageSize)
        var items = first.items
        let pageSize = first.items.count
        var requests = 1
        if pageSize > 0 && first.total > pageSize {
            let pagesLeft = (first.total - 1) / pageSize
            guard pagesLeft <= Self.maximumPages else {
                throw AirflowAPIFailure(.malformed, "\(collection.listing) at \(host): the API reports \(first.total) \(collection.rawValue) "
                                        + "but pages only \(pageSize) at a time, which would take \(pagesLeft + 1) requests (Strata reads "
                                        + "at most \(Self.maximumPages + 1)); raise [api] maximum_page_limit (Strata asks for "
                                        + "\(AirflowAPIVersion.requestedPageSize) a page)")
            }
            let offsets = Array(stride(from: pageSize, to: first.total, by: pageSize))
            let pages = await mapConcurrently(offsets, limit: concurrency) { offset -> Result<[JSONObject], any Error> in
                do { return .success(try await self.page(collection, offset: offset, limit: pageSize).items) } catch { return .failure(error) }
            }
            requests += pages.count
            for page in pages { items += try page.get() }
        }
        let key = collection == .connections ? "connection_id" : "key"
        var seen = Set<String>()
        var unique: [JSONObject] = []
        unique.reserveCapacity(items.count)
        for item in items {
            guard let id = item[key]?.stringValue else { unique.append(item); continue }
            if seen.insert(id).inserted { unique.append(item) }
        }
        var warning: String?
        if unique.count != first.total {
            warning = "the API at \(host) reported \(first.total) \(collection.rawValue) but \(unique.count) were read: they changed "
                + "while Strata read them; reload to see them as they are now"
        }
        return AirflowAPIListing(items: unique, warning: warning, requests: requests)
    }

    /// One page: its items and the collection's `total_entries`.
    func page(_ collection: AirflowAPICollection, offset: Int, limit: Int) async throws -> (items: [JSONObject], total: Int) {
        let response = try await send("GET", "/\(collection.rawValue)", query: [("limit", String(limit)), ("offset", String(offset))])
        if response.status == 404 { throw await notFoundFailure(response, collection: collection.rawValue) }
        guard response.status == 200 else { throw failure(response, doing: collection.listing) }
        guard case .object(let reply)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)) else {
            throw AirflowAPIFailure(.malformed, "\(collection.listing) at \(host) \(NonJSONReply.explain(response))")
        }
        guard case .array(let list)? = reply[collection.rawValue] else {
            throw AirflowAPIFailure(.malformed, "\(collection.listing) at \(host) answered JSON without a `\(collection.rawValue)` "
                                    + "list; is api.url the Airflow base URL?")
        }
        guard case .integer(let totalText)? = reply["total_entries"], let total = Int(totalText),
              (0...Self.maximumEntries).contains(total) else {
            throw AirflowAPIFailure(.malformed, "\(collection.listing) at \(host) answered without a usable total_entries "
                                    + "(a whole number up to \(Self.maximumEntries))")
        }
        guard list.count <= limit else {
            throw AirflowAPIFailure(.malformed, "\(collection.listing) at \(host) answered \(list.count) items for a page of \(limit)")
        }
        return (list.compactMap(\.objectValue), total)
    }
}

extension AirflowAPIClient {
    /// Airflow 2's list items with the `extra` each connection's own `GET` adds, read
    /// `concurrency` at a time. An item that cannot be read alone keeps no extra and says so.
    func withExtras(_ items: [JSONObject], concurrency: Int) async throws -> [JSONObject] {
        let results = await mapConcurrently(items, limit: concurrency) { item -> Result<JSONObject, any Error> in
            guard let id = item["connection_id"]?.stringValue, item["extra"] == nil else { return .success(item) }
            do {
                let path = try itemPath(SecretKey(.connection, id))
                let response = try await send("GET", path)
                guard response.status == 200,
                      case .object(let full)? = try? JSONValue.parsePython(String(decoding: response.body, as: UTF8.self)) else {
                    if response.status == 404 { return .success(item) } // deleted since the listing: its extra is gone too
                    throw response.status == 200
                        ? AirflowAPIFailure(.malformed, "reading connection '\(InertText.make(id))' at \(host) \(NonJSONReply.explain(response))")
                        : failure(response, doing: "reading connection '\(InertText.make(id))'")
                }
                var merged = item
                merged["extra"] = full["extra"] ?? .null
                return .success(merged)
            } catch let failure as AirflowAPIFailure where failure.kind == .invalid {
                var marked = item
                marked["extra"] = .string(AirflowAPIEntry.mask) // cannot be read alone: shown as hidden
                return .success(marked)
            } catch {
                return .failure(error)
            }
        }
        return try results.map { try $0.get() }
    }
}
