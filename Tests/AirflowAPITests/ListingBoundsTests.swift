import Foundation
import Testing
import AirflowAPI
import Engine
import RemoteSupport

/// A server that answers every page with the same reply and counts the requests: a hostile or
/// broken API, which no real Airflow can be made into.
private final class RepeatingServer: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private let body: [UInt8]
    private(set) var requests = 0

    init(_ body: String) { self.body = Array(body.utf8) }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { requests += 1 }
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }
}

@Suite("Airflow REST API listings are bounded by what a real Airflow can page")
struct ListingBoundsTests {
    /// Found by fuzz-airflow-api-replies in CI: one item a page with `total_entries` 77,771 made
    /// Strata ask for 77,770 more pages.
    @Test func aServerPagingOneItemAtATimeWhileClaimingThousandsIsRefusedAtOnce() async throws {
        let server = RepeatingServer(#"{"connections": [{"connection_id": "c1", "conn_type": "http", "host": "h"}], "total_entries": 77771}"#)
        let provider = AirflowAPITierProvider(transport: { _ in server }, concurrency: 4, processEnvironment: { _ in nil },
                                              homeDirectory: URL(fileURLWithPath: "/nonexistent-home"))
        var deployment = Deployment(name: "hostile", airflowVersion: .v3,
                                    environment: DeploymentEnvironment(["API_TOKEN": "token", "HOME": "/nonexistent-home"]))
        deployment.api = AirflowAPISettings(baseURL: URL(string: "http://airflow.invalid:8080")!, signIn: .token(variable: "API_TOKEN"))
        let tier = try provider.makeTier(for: deployment)
        do {
            _ = try await tier.load()
            Issue.record("a listing of 77,771 entries one a page was read")
        } catch let error as TierError {
            #expect(error.message.contains("pages only 1 at a time"), "\(error.message)")
            #expect(error.message.contains("maximum_page_limit"))
        }
        #expect(server.requests <= 4, "\(server.requests) requests")
    }
}
