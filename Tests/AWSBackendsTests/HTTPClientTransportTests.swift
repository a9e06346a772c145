import Foundation
import Testing
import Engine
import RemoteSupport

/// RemoteSupport's transport and counting wrapper, against moto's plain HTTP endpoint.
@Suite("HTTP client transport (moto)")
struct HTTPClientTransportTests {
    @Test func anOwnedTransportSendsCountsAndShutsDown() async throws {
        let moto = try Moto.connect()
        let transport = try HTTPClientTransport(tls: TLSSettings())
        let counting = CountingTransport(transport)
        let response = try await counting.send(HTTPRequest(method: "GET", url: moto.url.appendingPathComponent("moto-api/data.json")))
        #expect(response.status == 200)
        #expect(counting.count == 1)
        #expect(counting.requests.first?.method == "GET")
        try await transport.shutdown()
        try await transport.shutdown()   // idempotent
    }

    @Test func aClosedPortIsAnUnreachableFailureNamingTheHost() async throws {
        let transport = try HTTPClientTransport.shared()
        let error = await #expect(throws: TransportFailure.self) {
            _ = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:9/")!, timeout: .seconds(2)))
        }
        #expect(error?.host == "127.0.0.1:9")
        #expect(error?.isTransient == true)
    }

    @Test func anUnreadableCABundleIsRefused() {
        #expect(throws: TransportFailure.self) { _ = try HTTPClientTransport(tls: TLSSettings(caBundlePath: "/nonexistent/ca.pem")) }
    }
}
