import CNcursesw
import Foundation
import ViewModel

/// The terminal thread's loop: wait for a key, a result or a signal; reduce; draw. Effects
/// that reach the world go to ViewModel's `EffectRunner`; this loop performs only the
/// terminal's own (clipboard, theme, external editor, quit).
@MainActor
struct RunLoop {
    private let app: TerminalApp
    private let terminal: Terminal
    private let mailbox: Mailbox
    private let log: LogFile
    private let runner: EffectRunner
    private var state: AppState
    private var renderer: FrameRenderer
    private var pendingOutput: [String] = []
    private var paste = PasteAssembler()
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    init(app: TerminalApp, terminal: Terminal, mailbox: Mailbox, log: LogFile) {
        self.app = app
        self.terminal = terminal
        self.mailbox = mailbox
        self.log = log
        self.started = clock.now
        self.runner = EffectRunner(environment: app.environment, context: app.configuration.context,
                                   log: { log.write($0) }, post: { mailbox.post($0) })
        let requested = app.configuration.requestedTheme(environment: ProcessInfo.processInfo.environment)
        var (theme, problem) = ThemeLoader.load(requested)
        if !terminal.hasColour && theme.usesColour {
            log.write("the terminal has no colour; using the mono theme")
            theme = BuiltinThemes.mono
        }
        renderer = FrameRenderer(palette: Palette(theme: theme, colours: terminal.colourCount, maxPairs: Int(cn_color_pairs())))
        state = AppState(configuration: app.configuration, size: terminal.size, themeName: theme.name)
        state.utcOffsetSeconds = TimeZone.current.secondsFromGMT()
        if let problem {
            log.write("theme: \(problem)")
            _ = AppReducer.reduce(&state, .themeApplied(name: theme.name, problem: problem))
        }
    }

    mutating func run() -> Int32 {
        perform(AppReducer.start(&state))
        draw()
        logFirstFrame()
        while !state.isQuitting {
            waitForInput(timeoutMilliseconds: 200)
            if SignalGuard.wasInterrupted {
                log.write("interrupted; quitting")
                reduce(.interrupted)
                break
            }
            var inputs: [AssembledInput] = []
            while let input = KeyDecoder.read() { inputs += paste.feed(input) }
            if !paste.isInsidePaste { inputs += paste.flush() }
            for input in inputs {
                switch input {
                case .key(let key): reduce(.keyPressed(key))
                case .paste(let text): reduce(.pasted(text))
                case .resize:
                    renderer.invalidate()
                    reduce(.resized(terminal.size))
                }
                if state.isQuitting { break }
            }
            for action in mailbox.drain() { reduce(action) }
            reduce(.tick(now: seconds(since: started)))
            if terminal.size != state.size {
                renderer.invalidate()
                reduce(.resized(terminal.size))
            }
            if !state.isQuitting { draw() }
        }
        let runner = runner
        Task { await runner.cancelAll() }
        log.write("strata TUI stopped")
        return 0
    }

    private mutating func reduce(_ action: AppAction) {
        perform(AppReducer.reduce(&state, action))
    }

    private mutating func perform(_ effects: [AppEffect]) {
        for effect in effects where !runner.submit(effect) {
            switch effect {
            case .loadDeployment, .resolve, .loadComparison, .applyEdits, .testConnection, .loadCopyTargets, .applyCopy:
                break   // the runner's
            case .copyToClipboard(let text, let what):
                log.write("copied the \(what) to the clipboard")
                pendingOutput.append(Clipboard.osc52(text))
            case .applyTheme(let name):
                var (theme, problem) = ThemeLoader.load(name)
                if !terminal.hasColour && theme.usesColour { theme = BuiltinThemes.mono }
                renderer.palette = Palette(theme: theme, colours: terminal.colourCount, maxPairs: Int(cn_color_pairs()))
                renderer.invalidate()
                if let problem { log.write("theme: \(problem)") }
                reduce(.themeApplied(name: theme.name, problem: problem))
            case .editExternally(let text, let suffix):
                let command = ExternalEditor.command(environment: ProcessInfo.processInfo.environment)
                log.write("opening \(command) on a temp file (\(suffix))")
                let terminal = terminal
                let result = ExternalEditor.edit(text, suffix: suffix, command: command) { run in
                    terminal.suspend()
                    defer { terminal.resume() }
                    return run()
                }
                renderer.invalidate()
                reduce(.externalEditFinished(text: result.text, problem: result.problem))
            case .quit:
                state.isQuitting = true
            }
        }
    }

    private mutating func draw() {
        renderer.draw(AppView.render(state))
        for output in pendingOutput { terminal.writeRaw(output) }
        pendingOutput.removeAll()
    }

    private func waitForInput(timeoutMilliseconds: Int32) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: mailbox.readFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, timeoutMilliseconds)
    }

    private func seconds(since instant: ContinuousClock.Instant) -> Double {
        let elapsed = clock.now - instant
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// How long after the process started the first frame was on screen (from /proc, Linux).
    private func logFirstFrame() {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 22 of /proc/self/stat is the start time; fields after ")" start at field 3.
        guard fields.count > 19, let startTicks = Double(fields[19]),
              let up = Double(uptime.split(separator: " ").first ?? "") else { return }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let milliseconds = (up - startTicks / ticks) * 1000
        log.write("first frame \(Int(milliseconds.rounded())) ms after launch")
    }
}
