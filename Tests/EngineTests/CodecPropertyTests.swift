@testable import Engine
@testable import PythonCompat
import Testing

/// Properties that hold for every connection, checked on thousands of generated ones (seeded,
/// so a failure reproduces): what `get_uri()` writes, Airflow's parser reads back unchanged,
/// and `as_json()` round-trips through `from_json`, within the limits Airflow itself has
/// (spec §4.7: lower-cased hosts, `None` vs `""`, dropped port 0, core's typed query values).
@Suite("Connection codec properties")
struct CodecPropertyTests {
    /// SplitMix64: small, fast, reproducible.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

        /// Text made of the characters that break naive URI handling.
        mutating func nastyText(maxLength: Int = 12) -> String {
            let pieces: [String] = ["a", "Z", "0", "9", " ", "/", ":", "@", "?", "#", "&", "=", "%", "%2F", "+", "[", "]",
                                    "é", "😀", "Σ", "\\", "'", "\"", "~", "-", "_", ".", "\u{1}", "\t", "://", "{", "}"]
            return String((0..<(1 + below(maxLength))).map { _ in pick(pieces) }.joined())
        }

        mutating func hostText() -> String {
            let plain: [String] = ["a", "b", "z", "0", "7", ".", "-", "_"]
            var host = "h" + (0..<below(10)).map { _ in pick(plain) }.joined()
            // A host holding '/' keeps its case and may hold anything (it is fully encoded).
            if chance(30) { host += "/" + nastyText() }
            // "://" in a host is read as an inner protocol (spec §4.7-b): not a plain host.
            return host.utf8.firstRange(of: Array("://".utf8)) != nil ? hostText() : host
        }
    }

    /// A connection `get_uri()` can represent without loss in `dialect`.
    static func representable(_ g: inout Generator, dialect: ConnectionDialect) -> Connection {
        var c = Connection()
        let letters = "abcdefghijklmnopqrstuvwxyz"
        c.connType = String(letters.randomElement(using: &g)!) + (g.chance(50) ? "_" + String(letters.randomElement(using: &g)!) : "")
            + (g.chance(30) ? "1" : "")
        c.host = g.chance(85) ? g.hostText() : ""
        if g.chance(60) {
            c.login = g.nastyText()
            if g.chance(70) { c.password = dialect == .sdk && g.chance(10) ? "" : g.nastyText() }
        }
        if g.chance(50) { c.port = 1 + g.below(65535) }
        if c.port != nil && c.host == "" && c.login == nil { c.host = "h" }
        c.schema = g.chance(60) ? g.nastyText() : ""
        if g.chance(50) {
            var object = JSONObject()
            for _ in 0..<(1 + g.below(4)) {
                // Values core's json.loads refuses (they start with 'v'), so they stay strings.
                object["k" + g.nastyText(maxLength: 4)] = .string(g.chance(20) ? "" : "v" + g.nastyText())
            }
            c.extra = JSONValue.object(object).pythonDumps()
        }
        return c
    }

    @Test("parse(uri(c)) == c", arguments: [ConnectionDialect.airflow2, .core, .sdk])
    func uriRoundTrip(_ dialect: ConnectionDialect) throws {
        var g = Generator(state: 0x5EED_0001 &+ UInt64(dialect.hashValue & 0xFF))
        for index in 0..<3000 {
            let original = Self.representable(&g, dialect: dialect)
            let uri = try original.uri(dialect: dialect)
            let reparsed = try Connection.parse(uri: uri, dialect: dialect)
            for field in Connection.fieldNames where reparsed.fieldValue(field) != original.fieldValue(field) {
                Issue.record("case \(index): \(field) does not survive get_uri() and parsing\(field == "password" ? "" : ": \(original.fieldValue(field).pythonDumps()) → \(reparsed.fieldValue(field).pythonDumps())")")
            }
            // Generating again from the parsed connection is stable.
            #expect(try reparsed.uri(dialect: dialect) == uri, "case \(index): get_uri() is not stable")
        }
    }

    @Test("from_json(as_json(c)) == c", arguments: [ConnectionDialect.airflow2, .core, .sdk])
    func jsonRoundTrip(_ dialect: ConnectionDialect) throws {
        var g = Generator(state: 0xC0FF_EE00 &+ UInt64(dialect.hashValue & 0xFF))
        for index in 0..<2000 {
            var original = Self.representable(&g, dialect: dialect)
            if g.chance(30) { original.description = g.nastyText() }
            if g.chance(20) { original.host = g.nastyText() }
            let text = try original.jsonText(dialect: dialect)
            let reparsed = try Connection.parse(json: text, dialect: dialect)
            for field in Connection.fieldNames where reparsed.fieldValue(field) != original.fieldValue(field) {
                Issue.record("case \(index): \(field) does not survive as_json() and from_json()")
            }
        }
    }

    /// Found by fuzz-connection-uri (crash-11e75211…): `://` followed by a combining mark is one
    /// Swift Character, but Airflow compares code points, so the host holds an inner protocol and
    /// get_uri() writes text its own parser refuses. Expected values are real Airflow 3.3.2's
    /// Task SDK (`Connection.from_uri`, `get_uri()`).
    @Test func aCombiningMarkAfterTheSchemeSeparatorStillMakesAnInnerProtocol() throws {
        let uri = "aUnse20y-conline1\nlinx://\u{31D}\u{FFFD}\u{FFFD}\u{FFFD}\0\0F100.68.0.1:443?1\0\0\0\0\0\0\0de"
            + "\0\0\0\0\0\0\0\0\0\0\0n-type://:95pl/?a=0&&ustebr7/l'og\0\0"
        let connection = try Connection.parse(uri: uri, dialect: .sdk)
        #expect(connection.connType == "aunse20y_conline1linx")
        #expect(connection.host?.unicodeScalars.elementsEqual("aunse20y-conline1linx://\u{31D}\u{FFFD}\u{FFFD}\u{FFFD}\0\0f100.68.0.1".unicodeScalars) == true)
        #expect(connection.port == 443)
        #expect(connection.schema == "")
        let written = try connection.uri(dialect: .sdk)
        #expect(written == "aunse20y-conline1linx://aunse20y-conline1linx://%CC%9D%EF%BF%BD%EF%BF%BD%EF%BF%BD%00%00f100.68.0.1:443/"
                + "?1%00%00%00%00%00%00%00de%00%00%00%00%00%00%00%00%00%00%00n-type%3A%2F%2F%3A95pl%2F%3Fa=0&ustebr7%2Fl%27og%00%00=")
        #expect(throws: AirflowError.self) { try Connection.parse(uri: written, dialect: .sdk) }
        #expect(connection.host?.utf8.firstRange(of: Array("://".utf8)) != nil)
        #expect(connection.host?.contains("://") == false, "Swift's Character search misses it: the reason for the scalar search")
    }

    @Test func portZeroIsWrittenButReadBackAsNone() throws {
        // as_json keeps 0 (prune_empty drops only None); from_json treats a falsy port as absent.
        let zero = Connection(connType: "x", port: 0)
        #expect(try zero.jsonText(dialect: .core) == "{\"conn_type\": \"x\", \"port\": 0}")
        #expect(try Connection.parse(json: zero.jsonText(dialect: .core), dialect: .core).port == nil)
        #expect(try zero.uri(dialect: .sdk) == "x://")
    }

    @Test("arbitrary text parses or raises an AirflowError, in every dialect")
    func totality() {
        var g = Generator(state: 42)
        for index in 0..<5000 {
            let text = (g.chance(30) ? g.pick(["x://", "postgresql://", "{", "http://y://", "//"]) : "") + g.nastyText(maxLength: 30)
            for dialect in ConnectionDialect.allCases {
                do {
                    let connection = text.hasPrefix("{")
                        ? try Connection.parse(json: text, dialect: dialect)
                        : try Connection.parse(uri: text, dialect: dialect)
                    _ = try? connection.uri(dialect: dialect)
                    _ = try? connection.jsonText(dialect: dialect)
                } catch is AirflowError {
                    continue
                } catch {
                    Issue.record("case \(index) (\(dialect)): raised \(type(of: error)), not an AirflowError")
                }
            }
        }
    }

    @Test("core turns JSON-looking query values into typed extras and writes them back as __extra__")
    func coreTypedQueryValues() throws {
        var g = Generator(state: 7)
        for _ in 0..<500 {
            let number = g.below(1_000_000)
            let connection = try Connection.parse(uri: "x://h/?n=\(number)&s=v\(number)", dialect: .core)
            #expect(connection.extra == "{\"n\": \(number), \"s\": \"v\(number)\"}")
            let uri = try connection.uri(dialect: .core)
            #expect(uri.hasPrefix("x://h/?__extra__="))
            #expect(try Connection.parse(uri: uri, dialect: .core).extra == connection.extra)
            let sdk = try Connection.parse(uri: "x://h/?n=\(number)", dialect: .sdk)
            #expect(sdk.extra == "{\"n\": \"\(number)\"}")
        }
    }
}

extension CodecPropertyTests.Generator: RandomNumberGenerator {}
