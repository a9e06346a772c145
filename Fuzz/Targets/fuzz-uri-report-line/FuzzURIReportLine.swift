@testable import Engine
import PythonCompat
import FuzzSupport

/// `uri parse --jsonl`'s line written straight from a URI's bytes (`CommonURIReportLine`), in
/// every dialect; the input's first byte picks the dialect (see `FuzzInput.choice`). Checks,
/// beyond "no crash": when the byte writer takes a URI, Airflow's step-by-step parser accepts
/// it too, get_uri() of that connection does not raise, and the line is byte for byte the one
/// made from that connection field by field with `json.dumps`; when it declines, it has written
/// nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURIReportLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let dialects = ConnectionDialect.allCases
    let (choice, rest) = FuzzInput.choice(data, size, of: dialects.count)
    let dialect = dialects[dialects.index(dialects.startIndex, offsetBy: choice)]
    var line: [UInt8] = [0x2A]
    let taken = rest.withUnsafeBufferPointer { CommonURIReportLine.append(uri: $0, dialect: dialect, to: &line) }
    guard taken else {
        FuzzCheck.require(line == [0x2A], "[\(dialect)] the byte writer declined but wrote")
        return 0
    }
    let uri = String(decoding: rest, as: UTF8.self)
    let connection: Connection
    do {
        connection = try AirflowURIParser.parseStepByStep(uri, dialect: dialect)
    } catch {
        FuzzCheck.fail("[\(dialect)] the byte writer took a URI Airflow refuses (\(type(of: error)))")
    }
    let expected: [UInt8]
    do {
        expected = try referenceLine(connection, dialect)
    } catch {
        FuzzCheck.fail("[\(dialect)] the byte writer took a URI whose get_uri() raises (\(type(of: error)))")
    }
    FuzzCheck.require(line.dropFirst().elementsEqual(expected), "[\(dialect)] the byte writer's line differs")
    return 0
}

/// The report line made the plain way: each field's `json.dumps`, in the documented order.
private func referenceLine(_ connection: Connection, _ dialect: ConnectionDialect) throws -> [UInt8] {
    func dumps(_ text: String?) -> String { text.map { JSONValue.string($0).pythonDumps() } ?? "null" }
    var members = [
        ("conn_type", dumps(connection.connType)), ("host", dumps(connection.host)), ("login", dumps(connection.login)),
        ("password", dumps(connection.password)), ("schema", dumps(connection.schema)),
        ("port", connection.port.map { String($0) } ?? "null"), ("extra", dumps(connection.extra)),
    ]
    if connection.description != nil { members.append(("description", dumps(connection.description))) }
    members.append(("uri", dumps(try connection.uri(dialect: dialect))))
    return Array(("{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}\n").utf8)
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_uri_report_line_main")
public func fuzzURIReportLineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzURIReportLine($0, $1) }
}
