@testable import Engine
@testable import PythonCompat
import Foundation
import Testing
import TestSupport

/// The URI fast path must agree with Airflow's step-by-step path on every URI it accepts, and
/// decline (nil) every URI that would raise. Checked on the recorded corpus and on variations
/// of it (case, encodings, duplicate and blank query keys, ports, user info). Values are
/// compared, never printed.
@Suite("Connection codec: the fast path agrees with the step-by-step path")
struct CodecFastPathTests {
    static let corpus = URICorpus.recorded
    static let variations = URICorpus.variations

    @Test("parsing a line's bytes gives what parsing its string gives", arguments: ConnectionDialect.allCases)
    func parsingBytesAgreesWithParsingTheString(_ dialect: ConnectionDialect) throws {
        for (index, uri) in (Self.corpus + Self.variations + [""]).enumerated() {
            var text = uri
            let fromBytes = text.withUTF8 { bytes in Result { try Connection.parseCommonURI(bytes, dialect: dialect) } }
            switch fromBytes {
            case .success(nil):
                continue
            case .success(let connection?):
                let same = (try? Connection.parse(uri: uri, dialect: dialect)) == connection
                #expect(same, "input #\(index) parses differently from its bytes")
            case .failure(let error):
                let expected = Result { try Connection.parse(uri: uri, dialect: dialect) }
                if case .failure(let other) = expected {
                    let same = "\(error)" == "\(other)"  // Airflow 2 and SDK messages quote the URI
                    #expect(same, "input #\(index) fails differently from its bytes")
                } else {
                    Issue.record("input #\(index): parsing its bytes raised where parsing its string does not")
                }
            }
        }
    }

    @Test("get_uri() from what the parse learnt is byte for byte get_uri() of the connection",
          arguments: ConnectionDialect.allCases)
    func roundTripURIAgreesWithGetURI(_ dialect: ConnectionDialect) throws {
        var inputs = Self.corpus + Self.variations + [
            "http://h/?a=x&b=%22quoted%22", "http://h/db?a=x&b=%5B1%5D", "http://h?a=1+2&b=%2B&c=%20",
            "http://h?&&", "http://h/db?only=text&empty=", "sqlite:////var/lib/airflow.db",
        ]
        inputs += inputs.map { $0 + "&also=plain" }
        var checked = 0
        for (index, uri) in inputs.enumerated() {
            var text = uri
            guard let parsed = text.withUTF8({ try? Connection.parseCommonURIForRoundTrip($0, dialect: dialect) }) else { continue }
            for writing in ConnectionDialect.allCases {
                var fast: [UInt8] = []
                let fastResult = Result { try parsed.appendURI(dialect: writing, to: &fast) }
                var plain: [UInt8] = []
                let plainResult = Result { try parsed.connection.appendURI(dialect: writing, to: &plain) }
                switch (fastResult, plainResult) {
                case (.success, .success):
                    let same = fast == plain  // a Bool: a failure must not print the URIs' passwords
                    #expect(same, "input #\(index) (parsed as \(dialect), written as \(writing)): the URIs differ")
                case (.failure(let error), .failure(let other)):
                    let same = "\(error)" == "\(other)"  // Airflow 2 and SDK messages quote the URI
                    #expect(same, "input #\(index): the errors differ")
                default:
                    Issue.record("input #\(index) (parsed as \(dialect), written as \(writing)): one way raised, the other did not")
                }
                checked += 1
            }
        }
        // Most inputs take the fast path; the check must not pass by skipping them all.
        #expect(checked > 100)
    }

    @Test("every recorded URI and its variations", arguments: ConnectionDialect.allCases)
    func fastPathAgrees(_ dialect: ConnectionDialect) throws {
        let inputs = URICorpus.withVariants(appending: "?extra_key=Value%20X&n=3")
        #expect(Self.corpus.count > 300, "the recorded corpus is readable")
        var accepted = 0
        for (index, uri) in inputs.enumerated() {
            let stepByStep = Result { try AirflowURIParser.parseStepByStep(uri, dialect: dialect) }
            let fast = Result { try AirflowURIFastPath.parse(uri, dialect: dialect) }
            switch (fast, stepByStep) {
            case (.success(nil), _):
                continue
            case (.success(let connection?), .success(let expected)):
                accepted += 1
                let same = connection == expected
                #expect(same, "input #\(index) parses differently on the fast path")
            case (.success, .failure):
                Issue.record("input #\(index): the fast path accepted a URI Airflow refuses")
            case (.failure(let error), .failure(let expected)):
                let same = "\(error)" == "\(expected)"
                #expect(same, "input #\(index) fails differently on the fast path")
            case (.failure, .success):
                Issue.record("input #\(index): the fast path raised where Airflow does not")
            }
        }
        #expect(accepted > 300, "the fast path takes the common URIs")
    }
}
