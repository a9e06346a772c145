import CFuzzDriver

/// Starts libFuzzer from a target's entry point.
///
/// SwiftPM links every executable with `main` defined as `<module>_main` (so tests could link
/// the executable's code); a fuzz target, built with `-parse-as-library`, has no Swift `main`,
/// so each target defines `<module>_main` itself and hands over to libFuzzer's driver here.
public enum FuzzDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer with the process's arguments; returns its exit code.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ testOneInput: TestOneInput) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
    }
}
