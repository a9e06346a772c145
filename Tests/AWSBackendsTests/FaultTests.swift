import Foundation
import Testing
import Engine
import RemoteSupport
@testable import AWSBackends

/// Throttling, server errors, dropped connections and malformed replies, injected in front of
/// moto: retried with bounded backoff, or reported clearly, never with a secret in the message.
@Suite("AWS faults")
struct FaultTests {
    let moto: Moto
    let run = Moto.unique("t")
    let fastRetry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50), jitter: false)

    init() throws { moto = try Moto.connect() }

    func load(faults: [FaultInjectingTransport.Fault], retry: RetryPolicy? = nil) async throws -> (TierSnapshot, FaultInjectingTransport) {
        let transport = FaultInjectingTransport(moto.transport, faults: faults)
        let deployment = try moto.deployment(Moto.secretsManagerClass,
                                             kwargs: ["connections_prefix": NSNull(), "variables_prefix": "\(run)/variables"])
        let source = try AWSFixtures.secretsManager(deployment, provider: AWSFixtures.provider(transport: transport, retry: retry ?? fastRetry))
        return (try await source.load(), transport)
    }

    @Test func throttlingAndServerErrorsAreRetriedUntilTheyPass() async throws {
        try await moto.createSecret("\(run)/variables/v", "secret-v")
        let (snapshot, transport) = try await load(faults: [
            .status(429, headers: [(name: "Retry-After", value: "0")]),
            .awsError(status: 400, code: "ThrottlingException", message: "Rate exceeded"),
            .status(503),
        ])
        #expect(snapshot.record(.variable, "\(run)/variables/v")?.state == .present(.variable("secret-v")))
        #expect(transport.attempts == 5)   // 3 faults + ListSecrets + BatchGetSecretValue
    }

    @Test func retriesAreBoundedAndTheFailureSaysWhatHappened() async throws {
        let error = await #expect(throws: TierError.self) {
            _ = try await load(faults: Array(repeating: .awsError(status: 400, code: "ThrottlingException", message: "Rate exceeded"), count: 10))
        }
        #expect(error?.message.contains("throttling") == true)
        #expect(error?.message.contains("ListSecrets") == true)
        let server = await #expect(throws: TierError.self) {
            _ = try await load(faults: Array(repeating: .status(500), count: 10))
        }
        #expect(server?.message.contains("HTTP 500") == true)
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await moto.createSecret("\(run)/variables/v", "x")
        let (snapshot, transport) = try await load(faults: [.dropConnection])
        #expect(snapshot.records.count == 1)
        #expect(transport.attempts == 3)
    }

    @Test func aMalformedReplyIsReportedWithoutRetrying() async throws {
        let error = await #expect(throws: TierError.self) { _ = try await load(faults: [.garbage]) }
        #expect(error?.message.contains("reply Strata cannot read") == true)
        #expect(error?.message.contains("text/html") == true)
    }

    @Test func expiredCredentialsSayToRenewThem() async throws {
        let error = await #expect(throws: TierError.self) {
            _ = try await load(faults: [.awsError(status: 400, code: "ExpiredTokenException", message: "The security token included in the request is expired")])
        }
        #expect(error?.message.contains("expired") == true)
        #expect(error?.message.contains(moto.admin.secretAccessKey) == false)
    }

    @Test func signatureErrorsDoNotEchoTheCanonicalRequest() {
        let body = #"{"__type": "InvalidSignatureException", "message": "Signature mismatch. The Canonical String for this request should have been 'POST / x-amz-security-token:SESSIONTOKEN'"}"#
        let error = AWSJSONClient.error(from: HTTPResponse(status: 400, body: Array(body.utf8)), service: .secretsManager,
                                        operation: "ListSecrets", redacting: ["SESSIONTOKEN"])
        #expect(error.kind == .badSignature)
        #expect(!error.description.contains("SESSIONTOKEN"))
        #expect(!error.serviceMessage.contains("Canonical"))
    }

    @Test func anUnreachableEndpointNamesTheHostAndWhatToCheck() async throws {
        let deployment = try moto.deployment(Moto.secretsManagerClass, kwargs: ["endpoint_url": "http://127.0.0.1:9"])
        let source = try AWSFixtures.secretsManager(deployment, provider: AWSFixtures.provider(retry: fastRetry))
        let error = await #expect(throws: TierError.self) { _ = try await source.load() }
        #expect(error?.message.contains("127.0.0.1:9") == true)
        #expect(error?.message.contains("endpoint") == true)
    }

    @Test func retryAfterIsHonouredAndJitterStaysBelowTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: true)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .milliseconds(300)) == .milliseconds(300))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30)) == nil)   // longer than maxDelay: give up
        #expect(policy.delay(afterAttempt: 5) == nil)                               // no attempts left
        for attempt in 1...4 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(1))
            let wait = try! #require(policy.delay(afterAttempt: attempt))
            #expect(wait <= ceiling && wait >= ceiling / 2)
        }
        #expect(RetryPolicy.retryAfter("2", now: Date()) == .seconds(2))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
    }

    /// Found by fuzz-aws-replies: `Retry-After: 1e300` trapped converting to milliseconds.
    @Test func anyRetryAfterNumberReadsWithoutOverflowAndEndsTheRetries() {
        let year = Duration.seconds(365 * 86_400)
        for text in ["1e300", "9223372036854775807", "1.7976931348623157e308"] {
            #expect(RetryPolicy.retryAfter(text, now: Date()) == year)
            #expect(RetryPolicy.standard.delay(afterAttempt: 1, retryAfter: RetryPolicy.retryAfter(text, now: Date())) == nil)
        }
        #expect(RetryPolicy.retryAfter("-1e300", now: Date()) == .zero)
        #expect(RetryPolicy.retryAfter("inf", now: Date()) == nil)
        #expect(RetryPolicy.retryAfter("nan", now: Date()) == nil)
    }
}
