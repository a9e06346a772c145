import CNcursesw
import Foundation

// Signal handlers may only touch plain globals; these are written before handlers are installed.
nonisolated(unsafe) private var wakeDescriptor: Int32 = -1
nonisolated(unsafe) private var interruptRequested: sig_atomic_t = 0
nonisolated(unsafe) private var crashNotice: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var savedCrashActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 32)
nonisolated(unsafe) private var savedWinchAction = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
nonisolated(unsafe) private var originalStderr: Int32 = -1

/// Keeps the terminal usable whatever happens: Ctrl-C and SIGTERM become a clean quit, a
/// crash restores the terminal before the Swift backtracer reports it, and resizes wake the loop.
enum SignalGuard {
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT]

    /// Installs the quit handlers. Call before ncurses starts, so that ncurses leaves them alone.
    static func installQuitHandlers(wakeFD: Int32) {
        wakeDescriptor = wakeFD
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                interruptRequested = 1
                var byte: UInt8 = 2
                _ = write(wakeDescriptor, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// Whether Ctrl-C, SIGTERM or SIGHUP arrived.
    static var wasInterrupted: Bool { interruptRequested != 0 }

    /// Chains a wake-up after ncurses's own SIGWINCH handler (which only sets a flag).
    static func installResizeHandler() {
        sigaction(SIGWINCH, nil, savedWinchAction)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            if let previous = savedWinchAction.pointee.__sigaction_handler.sa_handler,
               unsafeBitCast(previous, to: Int.self) > 1 {
                previous(signal)
            }
            var byte: UInt8 = 3
            _ = write(wakeDescriptor, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGWINCH, &action, nil)
    }

    /// On a crash: restore the terminal, say where the details are, then let the previous
    /// handler (the Swift backtracer) see the fault at its real address.
    static func installCrashHandlers(logPath: String, stderrCopy: Int32) {
        originalStderr = stderrCopy
        let notice = "\r\nstrata crashed; the terminal was restored. Details: \(logPath)\r\n"
        crashNotice = strdup(notice)
        for signal in crashSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                if !isendwin() { endwin() }
                if let crashNotice, originalStderr >= 0 { _ = write(originalStderr, crashNotice, strlen(crashNotice)) }
                sigaction(signal, savedCrashActions.advanced(by: Int(signal)), nil)
                if signal == SIGABRT { raise(signal) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, savedCrashActions.advanced(by: Int(signal)))
        }
        atexit {
            if !isendwin() { endwin() }
        }
    }

    /// Puts back the handlers the process had before the TUI.
    static func restoreCrashHandlers() {
        for signal in crashSignals { sigaction(signal, savedCrashActions.advanced(by: Int(signal)), nil) }
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigaction(signal, &action, nil)
        }
    }
}
