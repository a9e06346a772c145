@testable import Engine
import FuzzSupport

/// A deployment's `.env` file (Docker Compose / Astro CLI dotenv rules). Checks, beyond "no
/// crash and only `DotEnvError`s": every entry has a valid name, and line numbers rise and stay
/// within the file; the deployment environment built from the entries answers as a dictionary
/// would, and its environment tier lists the same records by the byte-level path as by the
/// general one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDotEnv(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    let file: DotEnvFile
    do {
        file = try DotEnvFile.parse(text, path: ".env")
    } catch {
        FuzzCheck.requireError(error, is: DotEnvError.self, "DotEnvFile.parse")
        return 0
    }
    let lineCount = text.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    var previous = 0
    for entry in file.entries {
        FuzzCheck.require(!entry.name.isEmpty && entry.name.utf8.allSatisfy(isNameByte)
                          && !(entry.name.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? true),
                          "an entry has an invalid name")
        FuzzCheck.require(entry.line > previous && entry.line <= lineCount, "entry lines do not rise within the file")
        previous = entry.line
    }
    checkEnvironment(file)
    return 0
}

private func checkEnvironment(_ file: DotEnvFile) {
    var environment = DeploymentEnvironment()
    var values: [String: String] = [:]
    var lines: [String: Int] = [:]
    for entry in file.entries {
        environment.set(entry.name, entry.value, origin: .file(path: "/p/.env", line: entry.line))
        values[entry.name] = entry.value
        lines[entry.name] = entry.line
    }
    FuzzCheck.require(environment.count == values.count && environment.variables == values,
                      "the environment holds other variables than the file gave")
    for (name, line) in lines {
        FuzzCheck.require(environment.origin(of: name) == .file(path: "/p/.env", line: line), "a variable has another origin")
    }
    for dialect in [ConnectionDialect.core, .airflow2, .sdk] {
        let tier = EnvironmentTier(environment: environment, dialect: dialect)
        guard let listed = tier.asciiSnapshot() else { continue }
        let exact = tier.exactSnapshot()
        FuzzCheck.require(listed.records == exact.records && listed.records.map(\.name) == exact.records.map(\.name)
                              && listed.warnings == exact.warnings,
                          "[\(dialect)] the byte-level listing differs from the general one")
    }
}

/// Letters, digits, `_`, `.` and `-` (what Compose accepts in a name).
private func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_dotenv_main")
public func fuzzDotEnvMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzDotEnv($0, $1) }
}
