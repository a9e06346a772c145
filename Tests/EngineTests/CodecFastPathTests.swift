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
    static let corpus: [String] = {
        guard let lines = try? Fixtures.jsonLines("connection-uris.jsonl") else { return [] }
        return lines.compactMap { line in
            guard case .object(let record)? = try? JSONValue.parsePython(line),
                  record["kind"]?.stringValue == "uri", let input = record["input"]?.stringValue else { return nil }
            return input
        }
    }()

    static let variations: [String] = [
        "postgres://user:pw@host:5432/db",
        "POSTGRESQL://User:P%40ss@Host.Example.COM:5432/My%20DB?sslmode=require",
        "my-type://h?a=1&a=2&b&c=&=x&&d=%7B%22k%22%3A1%7D",
        "http://h/?__extra__=%7B%22a%22%3A1%7D&x=y",
        "http://h/?__extra__=%5B1%5D",
        "http://h/?__extra__=",
        "http://h/?k=not%20json&n=12&f=1.5e3&t=true&z=null&q=%22s%22&neg=-1&nan=NaN",
        "http://h:/db",
        "http://h:99999/db",
        "http://h:12a/db",
        "http://user@h",
        "http://:@h",
        "http://@h",
        "http://u:p:q@h@i:1/x/y?z",
        "scheme+x.y-z://h",
        "1abc://h",
        "a:b://h",
        "http://h/db?x=%FF&y=1",
        "http://h/db?%FF=1&%FE=2",
        // Two keys for Python (code points differ), though canonically equivalent.
        "http://h/db?caf%C3%A9=1&cafe%CC%81=2",
        "http://h/db?k=%E2%9C%93&u=%5Cn",
        "http://h%2Fx/db",
        "http://HOST%41b/db",
        "http://Ab%2fCd:5/x",
        "http://Ab%2F%2FCd@Ef%2FGh:5/x",
        "spark://K8S%3A%2F%2F100.68.0.1:443?deploy-mode=cluster",
        "http://h%zz/db",
        "http://H%C3%A9/db",
        "http://h%FF/db",
        "http://%/db",
        "http://[::1]:80/db",
        "http://h/db#frag",
        "http://h/db?x=a+b%2Bc",
        "http://h/%2Fslash/db",
        "http://h/db?ctrl=%01%1F",
        "postgres://user:pw@host:5432/db?x=1 ",
        " postgres://h",
        "http://h\t/db",
        "aws://?region_name=eu-west-1",
        "aws://",
        "http://h?",
        "http://h/?",
        "http://h/db?a=%",
        "http://h/db?a=%4",
        "http://h/db?a=%zz",
        "mysql://a://b",
        "http://h/db?k=http://x",
    ]

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
                    #expect("\(error)" == "\(other)", "input #\(index) fails differently from its bytes")
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
                    #expect(fast == plain, "input #\(index) (parsed as \(dialect), written as \(writing)): the URIs differ")
                case (.failure(let error), .failure(let other)):
                    #expect("\(error)" == "\(other)", "input #\(index): the errors differ")
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
        var inputs = Self.corpus + Self.variations
        for uri in Self.corpus + Self.variations {
            inputs.append(uri.uppercased())
            inputs.append(uri + "?extra_key=Value%20X&n=3")
            inputs.append(uri.replacingOccurrences(of: "@", with: "%40"))
        }
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
