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
        checkRoundTrip(parsed, dialect)
        // get_uri() of any JSON-form connection raises only as Airflow does.
        do {
            _ = try parsed.uri(dialect: dialect)
        } catch {
            FuzzCheck.requireError(error, is: AirflowError.self, "get_uri() [\(dialect)]")
        }
    }
    return 0
}

private func checkRoundTrip(_ parsed: Connection, _ dialect: ConnectionDialect) {
    guard let first = jsonOrAirflowError(parsed, dialect) else { return }
    let once: Connection
    do {
        once = try Connection.parse(json: first, dialect: dialect)
    } catch {
        FuzzCheck.fail("[\(dialect)] as_json() wrote JSON that from_json refuses (\(type(of: error)))")
    }
    guard let second = jsonOrAirflowError(once, dialect) else {
        FuzzCheck.fail("[\(dialect)] as_json() raises for a connection read from as_json()")
    }
    let twice: Connection
    do {
        twice = try Connection.parse(json: second, dialect: dialect)
    } catch {
        FuzzCheck.fail("[\(dialect)] the second as_json() does not read back (\(type(of: error)))")
    }
    let fields = ConnectionComparison.differingFields(once, twice)
    FuzzCheck.require(fields.isEmpty, "[\(dialect)] \(fields) change on a second as_json() round")
}

private func jsonOrAirflowError(_ connection: Connection, _ dialect: ConnectionDialect) -> String? {
    do {
        return try connection.jsonText(dialect: dialect)
    } catch {
        FuzzCheck.requireError(error, is: AirflowError.self, "as_json() [\(dialect)]")
        return nil
    }
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_connection_json_main")
public func fuzzConnectionJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzConnectionJSON($0, $1) }
}
