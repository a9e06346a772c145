import CNcursesw
import Engine
import Foundation
import ViewModel

/// The terminal UI over the Engine: owns the terminal, runs the loop, performs effects.
public struct TerminalApp {
    public var deployments: [Deployment]
    public var initialDeployment: String?
    public var context: LookupContext
    public var loader: DeploymentLoader
    public var backendInfo: @Sendable (Deployment) -> BackendPaneInfo
    /// `--theme`: a built-in name, a name in a themes folder, or a path. Wins over STRATA_THEME.
    public var theme: String?
    /// The workspace file's theme; used when neither --theme nor STRATA_THEME is set.
    public var workspaceTheme: String?
    /// Where stderr and the log go while the screen is in use (default: STRATA_TUI_LOG, then
    /// a per-user file under the temp directory).
    public var logFile: URL?
    /// How connections are written out for copying (the Engine's codec).
    public var formats: ConnectionFormats
    /// Makes the writers of each deployment's tiers; nil: nothing can be written.
    public var writerFactory: (any TierWriterFactory)?
    /// `--read-only`: every write is refused and the edit actions are hidden.
    public var readOnly: Bool
    /// Reads the workspace's deployments again after a save (env files are read when the
    /// workspace loads); nil keeps the deployments as they were.
    public var reloadDeployments: (@Sendable () -> [Deployment]?)?

    /// `backendInfo` defaults to `BackendPaneInfo.describing` (the Engine's backend report);
    /// `formats` defaults to the Engine's connection codec for `context`.
    public init(deployments: [Deployment], initialDeployment: String?, context: LookupContext,
                loader: DeploymentLoader,
                backendInfo: @escaping @Sendable (Deployment) -> BackendPaneInfo = BackendPaneInfo.describing,
                theme: String?, logFile: URL?, workspaceTheme: String? = nil,
                formats: ConnectionFormats? = nil, writerFactory: (any TierWriterFactory)? = nil,
                readOnly: Bool = false, reloadDeployments: (@Sendable () -> [Deployment]?)? = nil) {
        self.writerFactory = writerFactory
        self.readOnly = readOnly
        self.reloadDeployments = reloadDeployments
        self.deployments = deployments
        self.initialDeployment = initialDeployment
        self.context = context
        self.loader = loader
        self.backendInfo = backendInfo
        self.theme = theme
        self.workspaceTheme = workspaceTheme
        self.logFile = logFile
        self.formats = formats ?? .engine(context: context)
    }

    /// The theme request in force: --theme, then STRATA_THEME, then the workspace file.
    public static func requestedTheme(flag: String?, environment: [String: String], workspace: String?) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let fromEnvironment = environment["STRATA_THEME"], !fromEnvironment.isEmpty { return fromEnvironment }
        return workspace
    }

    /// Runs until the user quits; returns the exit code. Must be called on the main thread.
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
