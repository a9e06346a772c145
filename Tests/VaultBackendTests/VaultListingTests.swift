import Foundation
import Testing
import Engine
import RemoteSupport
@testable import VaultBackend

/// Listing for browsing: recursive, paged, one LIST per folder page, metadata from the listing.
@Suite("Vault tier: listing")
struct VaultListingTests {
    let bao: OpenBao

    init() throws { bao = try OpenBao.main() }

    /// Writes `count` variables `<folder>/v<n>` concurrently.
    func fill(_ mount: String, folder: String, count: Int) async throws {
        let bao = self.bao
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<count {
                group.addTask { try await bao.put(mount, "\(folder)/v\(String(format: "%03d", n))", ["value": "value \(n)"]) }
                if n % 16 == 15 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
    }

    @Test func aLargeFolderIsReadPageByPageAndNestedFoldersAreFollowed() async throws {
        let mount = OpenBao.uniqueName("page")
        try await bao.enableKV(mount, version: 2)
        try await fill(mount, folder: "variables", count: 230)
        try await fill(mount, folder: "variables/deeper/still", count: 3)
        let (source, counter) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken,
                                                                  "mount_point": mount, "connections_path": nil],
                                                         pageSize: 50, concurrency: 4)
        let snapshot = try await source.load()
        #expect(snapshot.records.count == 233)
        #expect(snapshot.record(.variable, "\(mount)/variables/v229")?.state == .present(.variable("value 229")))
        #expect(snapshot.record(.variable, "\(mount)/variables/deeper/still/v002")?.suggestedID == "deeper/still/v002")
        let lists = counter.requests.filter { $0.method == "LIST" }
        // variables/: 231 names (230 + one folder) in pages of 50 → 5 pages; deeper/ and still/: one each.
        #expect(lists.count == 7)
        // (URL.path drops the trailing "/" of the LIST path.)
        #expect(lists.filter { $0.url.path == "/v1/\(mount)/detailed-metadata/variables" }.count == 5)
        // "deeper/" sorts first, so the pages end at v048, v098, v148, v198.
        let afters = lists.compactMap(\.url.query).filter { $0.contains("after=") }.sorted()
        #expect(afters == ["limit=50&after=v048", "limit=50&after=v098", "limit=50&after=v148", "limit=50&after=v198"])
        // One read per secret, no metadata reads: the listing carried the metadata.
        #expect(counter.requests.filter { $0.method == "GET" && $0.url.path.contains("/data/") }.count == 233)
        #expect(!counter.requests.contains { $0.method == "GET" && $0.url.path.contains("/metadata/") })
        let record = try #require(snapshot.record(.variable, "\(mount)/variables/v000"))
        #expect(record.metadata["current_version"] == "1")
        #expect(record.metadata["created"]?.isEmpty == false)
        #expect(record.metadata["updated"]?.isEmpty == false)
    }

    @Test func aPolicyWithoutDetailedMetadataFallsBackToPlainMetadataListing() async throws {
        let mount = OpenBao.uniqueName("plain")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "variables/a", ["value": "1"])
        try await bao.put(mount, "variables/a", ["value": "2"])
        let policy = OpenBao.uniqueName("metaonly")
        try await bao.policy(policy, """
            path "\(mount)/metadata/*" { capabilities = ["list"] }
            path "\(mount)/data/*" { capabilities = ["read"] }
            """)
        let token = try await bao.token(policies: [policy])
        let (source, counter) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": token, "mount_point": mount])
        let snapshot = try await source.load()
        let record = try #require(snapshot.record(.variable, "\(mount)/variables/a"))
        #expect(record.state == .present(.variable("2")))
        #expect(record.metadata["version"] == "2")
        #expect(record.metadata["updated"]?.isEmpty == false)
        #expect(counter.requests.contains { $0.method == "LIST" && $0.url.path == "/v1/\(mount)/metadata/variables" })
        // Detailed listing is given up once per load, not retried for every folder.
        #expect(counter.requests.filter { $0.url.path.contains("detailed-metadata") }.count <= 2)
    }

    @Test func secretsOfBothKindsUnderTheSameFolderAreListedOnce() async throws {
        let mount = OpenBao.uniqueName("same")
        try await bao.enableKV(mount, version: 2)
        try await bao.put(mount, "airflow/x", ["value": "v", "conn_uri": "http://h"])
        let (source, counter) = try VaultFixtures.source(kwargs: ["url": bao.address, "token": bao.rootToken, "mount_point": mount,
                                                                  "connections_path": "airflow", "variables_path": "airflow"])
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "\(mount)/airflow/x")?.state == .present(.variable("v")))
        #expect(snapshot.record(.connection, "\(mount)/airflow/x") != nil)
        #expect(counter.requests.filter { $0.method == "LIST" }.count == 1)
    }
}
