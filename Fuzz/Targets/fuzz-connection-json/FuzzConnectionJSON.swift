import Engine
import FuzzSupport

/// JSON-form connections (`Connection.from_json`) and stored values (strip, `{` → JSON, else
/// URI) in every dialect. Checks, beyond "no crash and only `AirflowError`s": `as_json()` of a
/// parsed connection reads back, and after one round `from_json(as_json(c)) == c`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConnectionJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    for dialect in ConnectionDialect.allCases {
        do {
            _ = try Connection.parse(storedValue: text, dialect: dialect)
        } catch {
            FuzzCheck.requireError(error, is: AirflowError.self, "parse(storedValue:) [\(dialect)]")
        }
        let parsed: Connection
        do {
            parsed = try Connection.parse(json: text, dialect: dialect)
        } catch {
            FuzzCheck.requireError(error, is: AirflowError.self, "parse(json:) [\(dialect)]")
            continue
        }
        jsonRoundTrip.check(parsed, dialect)
        // get_uri() of any JSON-form connection raises only as Airflow does.
        do {
            _ = try parsed.uri(dialect: dialect)
        } catch {
            FuzzCheck.requireError(error, is: AirflowError.self, "get_uri() [\(dialect)]")
        }
    }
    return 0
}

/// `as_json()` and `from_json`.
private let jsonRoundTrip = ConnectionRoundTrip(writer: "as_json()", write: { try $0.jsonText(dialect: $1) },
                                                read: { try Connection.parse(json: $0, dialect: $1) })

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_connection_json_main")
public func fuzzConnectionJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzConnectionJSON($0, $1) }
}
