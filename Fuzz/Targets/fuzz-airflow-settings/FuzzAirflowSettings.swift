@testable import Engine
import FuzzSupport

/// `airflow_settings.yaml` as the Astro CLI reads it. Checks, beyond "no crash and only
/// `TierError`s": the reader over the block composer's flat document and the reader over
/// libyaml's node tree give the same settings, or the same error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAirflowSettings(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    let flat = Result { try AirflowSettingsFile.parse(text, path: "airflow_settings.yaml", flatDocument: true) }
    let tree = Result { try AirflowSettingsFile.parse(text, path: "airflow_settings.yaml", flatDocument: false) }
    switch (flat, tree) {
    case (.success(let a), .success(let b)):
        FuzzCheck.require(a.variables == b.variables, "the flat and tree readers read different variables")
        FuzzCheck.require(a.connections == b.connections, "the flat and tree readers read different connections")
        FuzzCheck.require(a.poolCount == b.poolCount, "the flat and tree readers count different pools")
    case (.failure(let a), .failure(let b)):
        FuzzCheck.requireError(a, is: TierError.self, "parse (flat)")
        FuzzCheck.requireError(b, is: TierError.self, "parse (tree)")
        FuzzCheck.require("\(a)" == "\(b)", "the flat and tree readers fail differently")
    case (.success, .failure(let error)):
        FuzzCheck.fail("only the tree reader fails (\(type(of: error)))")
    case (.failure(let error), .success):
        FuzzCheck.fail("only the flat reader fails (\(type(of: error)))")
    }
    return 0
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_airflow_settings_main")
public func fuzzAirflowSettingsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzAirflowSettings($0, $1) }
}
