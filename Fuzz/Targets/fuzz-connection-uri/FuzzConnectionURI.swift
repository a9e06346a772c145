@testable import Engine
import FuzzSupport

/// Connection URIs in every dialect (Airflow 2, Airflow 3 core on the server, the Task SDK on
/// workers); the input's first byte picks the dialect (see `FuzzInput.choice`). Checks, beyond "no crash and only `AirflowError`s":
/// - the one-pass fast path agrees with Airflow's step-by-step path (same connection, or it
///   declines, or both raise the same error);
/// - `get_uri()` of a parsed connection parses again, and after one such round the connection
///   is stable: parse(get_uri(c)) == c for every c that came from parse(get_uri(…)). (The first
///   round may legitimately change it: hosts are lower-cased, port 0 is dropped, core types
///   query values.) A host holding `://` is left out: Airflow writes it as an inner protocol
///   that its own parser reads back differently, or refuses (spec §4.7-b/c).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConnectionURI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let dialects = ConnectionDialect.allCases
    let (choice, rest) = FuzzInput.choice(data, size, of: dialects.count)
    let dialect = dialects[dialects.index(dialects.startIndex, offsetBy: choice)]
    let uri = String(decoding: rest, as: UTF8.self)
    checkFastPath(uri, dialect)
    let parsed: Connection
    do {
        parsed = try Connection.parse(uri: uri, dialect: dialect)
    } catch {
        FuzzCheck.requireError(error, is: AirflowError.self, "parse(uri:) [\(dialect)]")
        return 0
    }
    checkRoundTrip(parsed, dialect)
    return 0
}

private func checkFastPath(_ uri: String, _ dialect: ConnectionDialect) {
    let stepByStep = Result { try AirflowURIParser.parseStepByStep(uri, dialect: dialect) }
    let fast = Result { try AirflowURIFastPath.parse(uri, dialect: dialect) }
    switch (fast, stepByStep) {
    case (.success(nil), _):
        break
    case (.success(let connection?), .success(let expected)):
        let fields = ConnectionComparison.differingFields(connection, expected)
        FuzzCheck.require(fields.isEmpty && connection == expected, "[\(dialect)] the fast path gives other \(fields)")
    case (.success, .failure):
        FuzzCheck.fail("[\(dialect)] the fast path accepted a URI the step-by-step path refuses")
    case (.failure(let error), .failure(let expected)):
        FuzzCheck.require("\(error)" == "\(expected)", "[\(dialect)] the fast path raises another error")
    case (.failure, .success):
        FuzzCheck.fail("[\(dialect)] the fast path raised where the step-by-step path does not")
    }
}

/// `get_uri()` and `Connection(uri=…)`. A host holding `://` is left out: Airflow writes it as
/// an inner protocol that its own parser reads back differently, or refuses (spec §4.7-b/c).
private func checkRoundTrip(_ parsed: Connection, _ dialect: ConnectionDialect) {
    // Code points, as Python's `in` compares: a `/` before a combining mark is one Swift
    // Character with it, and `String.contains` would miss the `://` Airflow sees.
    if parsed.host?.utf8.firstRange(of: Array("://".utf8)) != nil { return }
    uriRoundTrip.check(parsed, dialect)
}

private let uriRoundTrip = ConnectionRoundTrip(writer: "get_uri()", write: { try $0.uri(dialect: $1) },
                                               read: { try Connection.parse(uri: $0, dialect: $1) })

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_connection_uri_main")
public func fuzzConnectionURIMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzConnectionURI($0, $1) }
}
