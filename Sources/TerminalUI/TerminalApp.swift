import CNcursesw
import Foundation
import ViewModel

/// The terminal front end: owns the terminal and runs the loop. What the app starts with comes
/// in an `AppConfiguration`; what its effects reach (tiers, writers, the workspace) in an
/// `AppEnvironment`, run by ViewModel's `EffectRunner`.
public struct TerminalApp {
    public var configuration: AppConfiguration
    public var environment: any AppEnvironment
    /// Where stderr and the log go while the screen is in use (default: STRATA_TUI_LOG, then
    /// a per-user file under the temp directory).
    public var logFile: URL?

    public init(configuration: AppConfiguration, environment: any AppEnvironment, logFile: URL? = nil) {
        self.configuration = configuration
        self.environment = environment
        self.logFile = logFile
    }

    /// Runs until the user quits; returns the exit code. The terminal belongs to the main thread.
    @MainActor
    public func run() throws -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("the terminal UI needs a terminal on stdin and stdout; use `strata list` in scripts")
        }
        let environmentLog = ProcessInfo.processInfo.environment["STRATA_TUI_LOG"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
        let log = LogFile(url: logFile ?? environmentLog ?? LogFile.defaultURL)
        log.write("strata TUI starting")

        // Wide characters need a UTF-8 locale; fall back to C.UTF-8 rather than losing them.
        setlocale(LC_ALL, "")
        if let codeset = cn_codeset(), String(cString: codeset).uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil {
                log.write("warning: no UTF-8 locale available; non-ASCII text may not display")
            } else {
                log.write("locale is not UTF-8; using C.UTF-8 for the terminal")
            }
        }

        // stderr goes to the log file while the screen is ours.
        let stderrCopy = dup(STDERR_FILENO)
        if let fd = log.fileDescriptor { dup2(fd, STDERR_FILENO) }
        defer {
            if stderrCopy >= 0 { dup2(stderrCopy, STDERR_FILENO); close(stderrCopy) }
        }

        let mailbox = try Mailbox()
        SignalGuard.installQuitHandlers(wakeFD: mailbox.writeFD)
        SignalGuard.installCrashHandlers(logPath: log.url.path, stderrCopy: stderrCopy)
        defer { SignalGuard.restoreCrashHandlers() }
        let terminal = try Terminal()
        defer { terminal.close() }
        SignalGuard.installResizeHandler()

        var loop = RunLoop(app: self, terminal: terminal, mailbox: mailbox, log: log)
        return loop.run()
    }
}
