import Foundation
import Testing
import TestSupport
import Engine
import Crypto
@testable import AWSBackends

/// Signature Version 4 against AWS's published test suite (service "service", us-east-1,
/// 2015-08-30T12:36:00Z, key AKIDEXAMPLE).
@Suite("SigV4 signing")
struct SigV4Tests {
    let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                     source: "AWS test suite")
    let signer = SigV4Signer(service: "service", region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_440_938_160)

    func authorization(_ method: String, _ url: String, headers: [(name: String, value: String)] = [], body: String = "") -> String {
        var request = HTTPRequest(method: method, url: URL(string: url)!, headers: headers, body: Array(body.utf8))
        signer.sign(&request, credentials: credentials, date: date)
        return request.header("Authorization") ?? ""
    }

    @Test func theDateIsWrittenInBasicISOFormatInUTC() {
        #expect(SigV4Signer.amzDate(date) == "20150830T123600Z")
    }

    @Test func theDateMatchesFoundationsCalendarAcrossFourCenturies() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var generator = SeededGenerator()
        let edges: [TimeInterval] = [0, -1, 86_399, 86_400, 951_782_400, 4_107_542_399.5, -2_208_988_800]
        for seconds in edges + (0..<2_000).map({ _ in TimeInterval(Int64.random(in: -6_000_000_000...7_000_000_000, using: &generator)) }) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(SigV4Signer.amzDate(date) == formatter.string(from: date), "\(seconds), \(generator.replay)")
        }
    }

    @Test func aCachedSigningKeyIsNeverUsedForAnotherSecretDayRegionOrService() {
        // Alternating scopes: each signature must be the one a fresh derivation gives.
        let other = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "another-secret", source: "test")
        let cases: [(AWSCredentials, Date, SigV4Signer)] = [
            (credentials, date, signer), (other, date, signer), (credentials, date, signer),
            (credentials, date.addingTimeInterval(86_400), signer),
            (credentials, date, SigV4Signer(service: "service", region: "eu-west-1")),
            (credentials, date, SigV4Signer(service: "ssm", region: "us-east-1")), (credentials, date, signer),
        ]
        for (credentials, date, signer) in cases {
            var request = HTTPRequest(method: "GET", url: URL(string: "https://example.amazonaws.com/")!)
            signer.sign(&request, credentials: credentials, date: date)
            let amzDate = SigV4Signer.amzDate(date)
            let parts = signer.signature(for: request, credentials: credentials, amzDate: amzDate)
            let key = SigV4Signer.signingKey(secret: credentials.secretAccessKey, day: String(amzDate.prefix(8)),
                                             region: signer.region, service: signer.service)
            let expected = HMAC<SHA256>.authenticationCode(for: Array(parts.stringToSign.utf8), using: key)
                .map { String(format: "%02x", $0) }.joined()
            #expect(parts.signature == expected)
        }
    }

    @Test func getVanilla() {
        #expect(authorization("GET", "https://example.amazonaws.com/")
            == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCaseSortsTheQuery() {
        #expect(authorization("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1")
            .hasSuffix("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"))
    }

    @Test func postVanillaHashesTheEmptyBody() {
        #expect(authorization("POST", "https://example.amazonaws.com/")
            .hasSuffix("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"))
    }

    @Test func postXWWWFormURLEncodedSignsTheContentTypeAndBody() {
        let auth = authorization("POST", "https://example.amazonaws.com/",
                                 headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                 body: "Param1=value1")
        #expect(auth == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test func getUTF8EncodesThePathOnce() {
        #expect(authorization("GET", "https://example.amazonaws.com/%E1%88%B4")
            .hasSuffix("Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"))
    }

    @Test func theSigningKeyMatchesThePublishedDerivation() {
        let key = SigV4Signer.signingKey(secret: credentials.secretAccessKey, day: "20150830", region: "us-east-1", service: "service")
        let hex = key.withUnsafeBytes { Array($0) }.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75")
    }

    @Test func temporaryCredentialsSendAndSignTheSessionToken() {
        var request = HTTPRequest(method: "POST", url: URL(string: "https://example.amazonaws.com/")!)
        var temporary = credentials
        temporary.sessionToken = "token-value"
        signer.sign(&request, credentials: temporary, date: date)
        #expect(request.header("X-Amz-Security-Token") == "token-value")
        #expect(request.header("Authorization")?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
    }

    @Test func aNonDefaultPortIsPartOfTheSignedHost() {
        var request = HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:5000/")!)
        signer.sign(&request, credentials: credentials, date: date)
        #expect(request.header("Host") == "127.0.0.1:5000")
    }

    @Test func credentialsNeverPrintTheirSecret() {
        let text = "\(credentials) \(String(reflecting: credentials))"
        #expect(!text.contains(credentials.secretAccessKey))
        #expect(!text.contains(credentials.accessKeyID))
        #expect(text.contains("…MPLE"))
    }
}
