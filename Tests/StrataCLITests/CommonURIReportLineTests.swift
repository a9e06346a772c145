@testable import Engine
@testable import StrataCLI
import Testing
import TestSupport

/// `uri parse --jsonl` writes most lines straight from the URI's bytes (`CommonURIReportLine`).
/// Whatever it writes must be byte for byte the line the general writer gives through a parsed
/// `Connection`, and it must write nothing at all for a URI it declines. Lines are compared,
/// never printed: they hold passwords.
@Suite("strata uri parse --jsonl: the line written from a URI's bytes")
struct CommonURIReportLineTests {
    /// The two writers on one line: the byte writer's line (nil when it declines) and the
    /// general one's, with whether the general one reported a failure.
    private func bothLines(_ uri: String, _ dialect: ConnectionDialect) -> (fast: [UInt8]?, general: [UInt8], failed: Bool) {
        var text = uri
        return text.withUTF8 { bytes in
            var fast: [UInt8] = Array("prefix".utf8)
            let taken = CommonURIReportLine.append(uri: bytes, dialect: dialect, to: &fast)
            var general: [UInt8] = []
            let failed = URICommand.parseJSONL(line: bytes, dialect: dialect, into: &general, fromBytes: false)
            if !taken {
                let untouched = fast == Array("prefix".utf8)
                #expect(untouched, "a declined URI leaves the output as it was")
                return (nil, general, failed)
            }
            let kept = fast.starts(with: "prefix".utf8)
            #expect(kept, "what was in the output before stays")
            return (Array(fast.dropFirst(6)), general, failed)
        }
    }

    /// Runs `inputs` through both writers; how many the byte writer took.
    @discardableResult
    private func expectAgreement(_ inputs: [String], _ dialect: ConnectionDialect, _ origin: String) -> Int {
        var taken = 0
        for (index, uri) in inputs.enumerated() {
            let (fast, general, failed) = bothLines(uri, dialect)
            guard let fast else { continue }
            taken += 1
            #expect(!failed, "\(origin) #\(index) [\(dialect)]: the byte writer took a line Airflow refuses")
            // A Bool, so that a failure names the input and never prints the lines (they hold passwords).
            let same = fast == general
            #expect(same, "\(origin) #\(index) [\(dialect)]: the lines differ")
        }
        return taken
    }

    @Test("the recorded corpus and its variations", arguments: ConnectionDialect.allCases)
    func recordedURIsAgree(_ dialect: ConnectionDialect) {
        let inputs = URICorpus.withVariants(appending: "?extra_key=Value%20X&n=3&t=true")
        #expect(URICorpus.recorded.count > 300, "the recorded corpus is readable")
        let taken = expectAgreement(inputs, dialect, "input")
        // The check must not pass by declining everything: most recorded URIs are common.
        #expect(taken > inputs.count / 3, "the byte writer took \(taken) of \(inputs.count)")
    }

    @Test("query values core decodes, and those it leaves as text", arguments: ConnectionDialect.allCases)
    func queryValuesAgree(_ dialect: ConnectionDialect) {
        let values = ["10", "0", "-7", "-0", "00", "007", "-", "1e3", "1.5", "true", "false", "null", "tRUE", "true1",
                      "nul", "%201", "+1", "1+", "123456789012345678", "1234567890123456789", "-123456789012345678",
                      "%22x%22", "%5B1%5D", "%7B%7D", "NaN", "Infinity", "no", "n", "f", "t", "", "a%0Ab", "%7F",
                      "%01", "%5C", "%22", "x%2By", "a+b", "%E2%9C%93", "%FF", "%", "%4", "%zz"]
        var inputs: [String] = []
        for value in values {
            inputs.append("http://h/db?k=\(value)")
            inputs.append("http://h?k=\(value)&plain=text")
            inputs.append("http://h?\(value)=key")
            inputs.append("http://u:p@h:1/s?a=1&k=\(value)&a=2")
        }
        inputs += ["http://h?&&", "http://h?=", "http://h?a", "http://h?a&a=1"]
        // `__extra__` taken whole: objects of text (written back as pairs), of anything else, and
        // what Airflow refuses (core) or reads as {} (Airflow 2 and the SDK).
        let extras = ["%7B%7D", "%7B%22a%22%3A%22b%22%7D", "%7B%22a%22%3A1%7D", "%7B%22a+b%22%3A%22c%26d%3De%22%7D",
                      "%7B%22%5Cu00e9%22%3A%22%5Cu2713%22%7D", "%7B%22k%22%3A%5B1%2C2%5D%2C%22n%22%3Anull%7D",
                      "%7B%22a%22%3A%22b%22%2C%22a%22%3A%22c%22%7D", "%5B1%5D", "1", "%22s%22", "not+json", "",
                      "%7B%22a%22%3A", "%7B%22a%22%3A%22%0A%22%7D", "%7B%22a%22%3A%22%5Cn%22%7D", "%7B%22x%22%3A1e999%7D"]
        for value in extras {
            inputs.append("http://h?__extra__=\(value)")
            inputs.append("http://u:p@h:5/s?x=y&__extra__=\(value)&z=w")
            inputs.append("http://h/?__extra%5F_=\(value)")
        }
        expectAgreement(inputs, dialect, "query")
    }

    @Test("user info, hosts, ports and schemas", arguments: ConnectionDialect.allCases)
    func addressesAgree(_ dialect: ConnectionDialect) {
        let inputs = [
            "http://:@h", "http://:p@h", "http://u:@h", "http://@h", "http://u@h", "http://u:p:q@h@i:0/x",
            "http://:5", "http://@:5", "http://u@:5", "http://h:0", "http://h:00080/s", "http://h:65535", "http://h:65536",
            "http://h:/s", "http://H%41/s", "http://a\"b\\c/s", "http://h/%22q%22%5C", "http://h/a%0Ab%09c%7F",
            "http://%00:%1F@h", "http://h/%2F%2F", "http://h//", "http://h/", "http://h", "http://h?", "http://h/?",
            "Postgresql://h", "postgresql://h", "POSTGRES://h", "a+b.c-d://h", "x://h/s%20t?k=v%20w",
            "http://u%3Ap@h", "http://u:p%40q@h", "http://h/s/t/u", "http://h/%C3%A9", "http://%C3%A9@h",
            "http://~-._~@h.-_~/~", "http://!$&'()*,;=@h/!$&'()*,;=?k=!$'()*,;",
            // Hosts with `%`: lower-cased before it, a decoded `/` keeps the raw case, `://` an inner protocol.
            "spark://K8S%3A%2F%2F100.68.0.1:443", "spark://spark%3A%2F%2FMaster:7077", "Spark://SPARK%3A%2F%2Fm",
            "http://%3A%2F%2F:1", "http://%3A%2F%2F", "http://u@%3A%2F%2F:0", "http://a%2Fb@C%2FD:5/x", "http://%2F",
            "http://X%3a%2f%2fY", "http://AB%41cd", "http://h%", "http://h%4", "http://H%zz", "http://%0A%7F%22%5C",
            "http://a%3A%2F%2Fb%3A%2F%2Fc", "http://HTTP%3A%2F%2Fx", "http://h%C3%A9", "http://%E2%9C%93%2F",
            // Found by fuzz-uri-report-line: the inner protocol holds a control byte and a `/`.
            "spar1spark://k8s%6a%3a%1F%2Fno.port.c%6a%3a%2F%2Fno.port.com?deploy-modc=uelr",
            "http://a%22b%3A%2F%2Fc", "http://a%5Cb%3A%2F%2Fc", "http://%7F%3A%2F%2Fc",
        ]
        let taken = expectAgreement(inputs, dialect, "address")
        #expect(taken > inputs.count / 2)
    }

    @Test("generated URIs", arguments: ConnectionDialect.allCases)
    func generatedURIsAgree(_ dialect: ConnectionDialect) {
        var generator = SeededGenerator()
        let schemes = ["http", "Postgresql", "google-cloud-platform", "a1+b.c", "s"]
        let pieces = ["a", "Z", "0", "9", "-", ".", "_", "~", "%20", "%2F", "%40", "%3A", "%25", "%22", "%5C", "%0A",
                      "%7F", "%C3%A9", "%FF", "%", "%G0", "+", "!", "'", "\"", "\\", "*", ";", ",", "$", "(", "="]
        func part(_ generator: inout SeededGenerator, _ extra: [String] = []) -> String {
            let all = pieces + extra
            return (0..<Int.random(in: 0...4, using: &generator)).map { _ in all.randomElement(using: &generator)! }.joined()
        }
        let values = ["1", "-2", "0", "true", "null", "false", "007", "1.0", "tru", "%5B%5D"]
        var inputs: [String] = []
        for _ in 0..<4_000 {
            var uri = schemes.randomElement(using: &generator)! + "://"
            if Bool.random(using: &generator) {
                uri += part(&generator, [":"])
                if Bool.random(using: &generator) { uri += ":" + part(&generator, [":", "@"]) }
                uri += "@"
            }
            uri += part(&generator)
            if Bool.random(using: &generator) { uri += ":" + String(Int.random(in: 0...70_000, using: &generator)) }
            if Bool.random(using: &generator) { uri += "/" + part(&generator, ["/"]) }
            if Bool.random(using: &generator) {
                uri += "?" + (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    let value = Bool.random(using: &generator) ? values.randomElement(using: &generator)! : part(&generator)
                    return part(&generator) + "=" + value
                }.joined(separator: "&")
            }
            inputs.append(uri)
        }
        let taken = expectAgreement(inputs, dialect, "generated (replay: STRATA_TEST_SEED=\(generator.seed))")
        #expect(taken > 200, "the byte writer took \(taken) of \(inputs.count) generated URIs")
    }

    @Test func aLineThatOutgrowsItsFirstRoomIsWrittenAgainAndAnOversizeURIGoesTheGeneralWay() {
        // Each %01 of the key becomes \\u0001 in the extra member and %5Cu0001 in get_uri():
        // five times the input, past the first attempt's room.
        let grows = "http://h?" + String(repeating: "%01", count: 300) + "=1"
        let (fast, general, _) = bothLines(grows, .core)
        let same = fast == general
        #expect(fast != nil && same, "the second attempt writes the general line")
        let oversize = "http://h/" + String(repeating: "s", count: CommonURIReportLine.maximumLength)
        #expect(bothLines(oversize, .core).fast == nil, "a URI over the limit is left to the general writer")
    }

    @Test func theCommonURIsOfBulkConversionsAreWrittenFromTheirBytes() {
        for uri in ["postgres://airflow_user:S3cr%3Et%21@pg.internal.example.com:5432/airflow?sslmode=require&connect_timeout=10",
                    "aws://AKIAEXAMPLE:wJalr%2FK7MDENG@/?region_name=eu-west-1",
                    "snowflake://USER:pw@ACCOUNT/db%2Fschema?warehouse=WH&role=ANALYST&insecure_mode=false",
                    "redis://:token@redis.internal:6379/0", "sqlite:////var/lib/airflow/airflow.db",
                    "aws://?__extra__=%7B%22region_name%22%3A%22us-east-1%22%2C%22nested%22%3A%7B%22k%22%3A%5B1%2C2%5D%7D%7D",
                    "aws://?__extra__=%7B%7D", "spark://k8s%3A%2F%2F100.68.0.1:443?deploy-mode=cluster",
                    "mssql://sa:p@sql01%5CINST1:1433/master"] {
            for dialect in ConnectionDialect.allCases {
                let taken = bothLines(uri, dialect).fast != nil
                #expect(taken, "[\(dialect)] a common URI went the slow way")
            }
        }
        // What the byte writer leaves to the general one.
        for uri in ["http://h%C3%A9/x", "http://u:%C3%A9@h", "aws://?__extra__=%5B1%5D", "http://h?k=1.5", "http://h?&",
                    "http://[::1]/x", "http://h/x#f", "a://b://c", "http://h:x"] {
            let declined = bothLines(uri, .core).fast == nil
            #expect(declined, "\(uri) is left to the general writer")
        }
    }
}

/// A JSON connection line reuses its extra object for get_uri()'s query instead of decoding the
/// extra's dump again: the line must be the general path's, byte for byte, and fail the same.
@Suite("strata uri parse --jsonl: JSON connections with an extra object")
struct JSONConnectionReportLineTests {
    @Test("recorded and hand-made JSON connections", arguments: ConnectionDialect.allCases)
    func jsonLinesAgree(_ dialect: ConnectionDialect) {
        let extras = [#"{"a": "b"}"#, #"{"timeout": 5, "verify": "yes"}"#, #"{"a": "b", "a": "c"}"#, #"{"n": null}"#,
                      #"{"k": [1, 2], "s": "t"}"#, #"{"é": "✓", "sp ace": "a&b=c"}"#, #"{"x": "\ud800"}"#, "{}",
                      #"{"a": {"b": "c"}}"#, #""{\"a\": 1}""#, #""[1]""#, #""not json""#, "[1]", "1", "true", "null", #""""#]
        var inputs = URICorpus.recordedJSON
        for extra in extras {
            inputs.append(#"{"conn_type": "http", "host": "h", "extra": \#(extra)}"#)
            inputs.append(#"{"conn_type": "my-type", "login": "u", "password": "p", "schema": "s", "port": "5432", "extra": \#(extra)}"#)
            inputs.append(#"{"uri": "http://h", "extra": \#(extra)}"#)
            inputs.append(#"{"conn_type": "x", "host": 1, "extra": \#(extra)}"#)
            inputs.append(#"{"conn_type": "x", "extra": \#(extra), "description": "d"}"#)
        }
        #expect(URICorpus.recordedJSON.count > 20, "the recorded JSON connections are readable")
        for (index, input) in inputs.enumerated() {
            var text = input
            let (shortcut, general) = text.withUTF8 { bytes in
                var shortcut: [UInt8] = [], general: [UInt8] = []
                let failed = (URICommand.parseJSONL(line: bytes, dialect: dialect, into: &shortcut),
                              URICommand.parseJSONL(line: bytes, dialect: dialect, into: &general, fromBytes: false))
                return ((shortcut, failed.0), (general, failed.1))
            }
            let same = shortcut.0 == general.0 && shortcut.1 == general.1  // a Bool: never print the lines
            #expect(same, "JSON input #\(index) [\(dialect)]: the lines differ")
        }
    }
}
