import Engine
import FuzzSupport

/// A deployment's `.env` file (Docker Compose / Astro CLI dotenv rules). Checks, beyond "no
/// crash and only `DotEnvError`s": every entry has a valid name, and line numbers rise and stay
/// within the file.
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
    return 0
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
