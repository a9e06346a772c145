import Foundation
import Testing
import Engine
import RemoteSupport

/// Strata's HTTP client speaks HTTP/2 wherever a TLS server offers it (ALPN), which OpenBao
/// does, and HTTP/1.1 elsewhere; the protocol of each answer is reported for the benchmarks.
@Suite("HTTP versions against OpenBao")
struct HTTPVersionTests {
    static func health(_ address: String) throws -> HTTPRequest {
        HTTPRequest(method: "GET", url: try #require(URL(string: "\(address)/v1/sys/health")))
    }

    @Test func aTLSServerOfferingHTTP2IsAnsweredOverItUnlessTheClientIsHTTP1Only() async throws {
        let (server, caFile) = try OpenBao.tls()
        let tls = TLSSettings(caBundlePath: caFile)
        let answer = try await HTTPClientTransport.shared(tls: tls, log: nil).send(try Self.health(server.address))
        #expect(answer.status == 200)
        #expect(answer.httpVersion == "HTTP/2.0")

        let http1 = try HTTPClientTransport(tls: tls, log: nil, http1Only: true)
        let restricted = try await http1.send(try Self.health(server.address))
        try await http1.shutdown()
        #expect(restricted.status == 200)
        #expect(restricted.httpVersion == "HTTP/1.1")
    }

    @Test func plainHTTPIsHTTP1() async throws {
        let server = try OpenBao.main()
        let answer = try await HTTPClientTransport.shared(log: nil).send(try Self.health(server.address))
        #expect(answer.httpVersion == "HTTP/1.1")
    }
}
