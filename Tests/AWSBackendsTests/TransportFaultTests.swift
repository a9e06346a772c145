import Foundation
import Testing
import Engine
import RemoteSupport
import TestSupport

/// HTTPClientTransport against testservers/faultproxy.py in front of moto: one deadline covers
/// connecting, the head and the whole body; oversize replies, redirect loops and the wrong
/// protocol are named for what they are.
@Suite("HTTP transport faults (faultproxy)")
struct TransportFaultTests {
    let proxy: FaultProxy
    let transport: HTTPClientTransport

    init() async throws {
        let moto = try Moto.connect()
        proxy = try await FaultProxy.shared(upstream: "127.0.0.1:\(moto.url.port ?? 0)")
        transport = try HTTPClientTransport.shared(log: nil)
    }

    /// The failure of one GET to `fault`, and how long it took.
    func failure(_ fault: FaultProxy.Fault, scheme: String = "http", timeout: Duration = .seconds(1)) async -> (TransportFailure?, Double) {
        let url = URL(string: proxy.url(fault, scheme: scheme) + "/v1/secret")!
        let started = ContinuousClock.now
        do {
            let response = try await transport.send(HTTPRequest(method: "GET", url: url, timeout: timeout))
            Issue.record("\(fault.rawValue) answered HTTP \(response.status) instead of failing")
            return (nil, Self.seconds(ContinuousClock.now - started))
        } catch let failure as TransportFailure {
            return (failure, Self.seconds(ContinuousClock.now - started))
        } catch {
            Issue.record("\(fault.rawValue) threw \(type(of: error)), not a TransportFailure")
            return (nil, 0)
        }
    }

    /// Scheduling slack for a busy 2-core machine running every suite at once.
    static let slack = 2.5

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test func aServerThatNeverAnswersEndsAtTheRequestDeadline() async {
        let (failure, elapsed) = await failure(.hang)
        #expect(failure?.kind == .timeout)
        #expect(failure?.description.contains("no answer within 1 s") == true)
        #expect(elapsed < 1 + Self.slack)
    }

    @Test(arguments: [FaultProxy.Fault.stall, .drip])
    func headersThenAStallOrADripEndAtTheRequestDeadline(_ fault: FaultProxy.Fault) async {
        let (failure, elapsed) = await failure(fault)
        #expect(failure?.kind == .timeout)
        #expect(failure?.description.contains("sent its headers, then the rest of the reply did not arrive within 1 s") == true)
        #expect(elapsed < 1 + Self.slack)
    }

    @Test func aReplyOverTheCapSaysItIsTooLarge() async {
        for fault in [FaultProxy.Fault.huge, .hugeChunked] {   // announced by Content-Length, or only counted
            let (failure, _) = await failure(fault, timeout: .seconds(10))
            #expect(failure?.kind == .badReply)
            #expect(failure?.description.contains("larger than 32 MiB") == true)
            #expect(failure?.isTransient == false)
        }
    }

    @Test func plainHTTPAtAnHTTPSURLIsNamedQuickly() async {
        let (failure, elapsed) = await failure(.plainForTLS, scheme: "https", timeout: .seconds(10))
        #expect(failure?.kind == .badReply)
        #expect(failure?.description.contains("plain HTTP, not TLS") == true)
        #expect(elapsed < 0.6 + Self.slack)
    }

    @Test func tlsAtAnHTTPURLIsNamed() async {
        let (failure, _) = await failure(.tlsForPlain, timeout: .seconds(10))
        #expect(failure?.kind == .badReply)
        #expect(failure?.description.contains("https://") == true)
    }

    @Test func aRedirectLoopIsNamed() async {
        let (failure, _) = await failure(.redirect, timeout: .seconds(10))
        #expect(failure?.kind == .badReply)
        #expect(failure?.description.contains("redirects in a loop") == true)
    }

    @Test func aResetIsATransientUnreachableFailure() async {
        let (failure, _) = await failure(.reset, timeout: .seconds(10))
        #expect(failure?.kind == .unreachable)
        #expect(failure?.isTransient == true)
    }

    @Test func theTierDeadlineCapsALongRequestTimeoutAndNotesTheProblem() async {
        let deadline = RemoteDeadline(timeouts: RemoteTimeouts(connect: .seconds(1), request: .seconds(30), tier: .seconds(30)),
                                      tierEnds: .now + .milliseconds(600))
        let (failure, elapsed) = await RemoteDeadline.$current.withValue(deadline) {
            await self.failure(.hang, timeout: .seconds(30))
        }
        #expect(failure?.kind == .timeout)
        #expect(elapsed < 0.6 + Self.slack)
        #expect(deadline.faults.last?.contains("no answer within") == true)
    }

    @Test func passThroughStillWorks() async throws {
        // moto's dashboard page: a fixed size, where data.json grows with every suite's secrets.
        let url = URL(string: "http://127.0.0.1:\(proxy.passPort)/moto-api/")!
        // Generous: this checks that bytes pass through, and CI runs it beside every other suite.
        let response = try await PatientTransport(inner: transport).send(HTTPRequest(method: "GET", url: url, timeout: .seconds(30)))
        #expect(response.status == 200)
    }
}
