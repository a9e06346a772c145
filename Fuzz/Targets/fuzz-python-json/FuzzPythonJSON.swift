@testable import Engine
@testable import PythonCompat
import FuzzSupport

/// Strata's port of CPython's `json.loads` (one scanner, `PythonJSONScanner`) through both of
/// its entry points: `JSONValue.parsePython` (connections, replies, extras) and
/// `PythonJSON.loads` (local-files JSON as Python values, with key lines). Checks, beyond "no
/// crash": both accept the same documents with the same value and refuse the same ones with the
/// same message; and `json.dumps` of a parsed value parses back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPythonJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    let first = JSONValue.loadsPython(text)
    let second: Result<PythonValue, Error> = Result { try PythonJSON.loads(text).value }
    switch (first, second) {
    case (.success(let value), .success(let python)):
        FuzzCheck.require(PythonValue(value).pythonRepr == python.pythonRepr, "the two scanners read different values")
        checkDumps(value)
    case (.failure(let error), .failure(let pythonError)):
        if error.className == "RecursionError" || isRecursion(pythonError) { break }
        guard let decode = pythonError as? PythonJSON.DecodeError else {
            FuzzCheck.fail("PythonJSON.loads threw \(type(of: pythonError))")
        }
        FuzzCheck.require(error.className == "JSONDecodeError", "parsePython raised \(error.className), not JSONDecodeError")
        FuzzCheck.require(error.message == decode.description, "the two scanners report different errors")
    case (.success, .failure(let pythonError)):
        if isRecursion(pythonError) { break }
        FuzzCheck.fail("PythonJSON.loads refuses (\(type(of: pythonError))) what parsePython reads")
    case (.failure(let error), .success):
        if error.className == "RecursionError" { break }
        FuzzCheck.fail("parsePython refuses (\(error.className)) what PythonJSON.loads reads")
    }
    return 0
}

private func isRecursion(_ error: Error) -> Bool {
    (error as? PythonException)?.className == "RecursionError"
}

private func checkDumps(_ value: JSONValue) {
    let dumped = value.pythonDumps()
    switch JSONValue.loadsPython(dumped) {
    case .success(let again):
        FuzzCheck.require(again.pythonDumps() == dumped, "json.dumps of a parsed value does not read back the same")
    case .failure(let error):
        // dumps keeps the depth the document had, so any failure is a bug.
        FuzzCheck.fail("json.dumps wrote text json.loads refuses (\(error.className))")
    }
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_python_json_main")
public func fuzzPythonJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzPythonJSON($0, $1) }
}
