import CNcursesw
import Foundation
import ViewModel

/// The one place that opens and closes ncurses. Everything here runs on the terminal thread.
final class Terminal {
    private let screen: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private let ownsStreams: Bool
    private(set) var isOpen = true

    /// Opens the terminal on the process's own stdin/stdout.
    init() throws {
        guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(dup(STDIN_FILENO), "r") else {
            throw TerminalError("cannot open the terminal streams")
        }
        guard let screen = newterm(nil, output, input) else {
            throw TerminalError("ncurses cannot drive this terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset")); try TERM=xterm-256color")
        }
        self.screen = screen
        self.output = output
        self.input = input
        self.ownsStreams = true
        configure()
        writeRaw(Self.bracketedPasteOn)
        pasteEnabled = true
    }

    /// Asks the terminal to mark pasted text, so a pasted URI arrives as one piece.
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"
    private var pasteEnabled = false

    /// Hands the terminal to another program (an editor): the screen is restored as the shell
    /// had it, until `resume`.
    func suspend() {
        if pasteEnabled { writeRaw(Self.bracketedPasteOff) }
        def_prog_mode()
        endwin()
    }

    /// Takes the terminal back after `suspend`; the caller redraws the whole frame.
    func resume() {
        reset_prog_mode()
        _ = wrefresh(cn_stdscr())
        if pasteEnabled { writeRaw(Self.bracketedPasteOn) }
    }

    /// A terminal that draws into nothing, for renderer tests: ncurses keeps its virtual screen.
    init(headless size: Size, term: String = "xterm-256color") throws {
        setenv("LINES", "\(size.rows)", 1)
        setenv("COLUMNS", "\(size.columns)", 1)
        guard let output = fopen("/dev/null", "w"), let input = fopen("/dev/null", "r") else {
            throw TerminalError("cannot open /dev/null")
        }
        guard let screen = newterm(term, output, input) else { throw TerminalError("no terminfo entry for \(term)") }
        self.screen = screen
        self.output = output
        self.input = input
        self.ownsStreams = true
        configure()
        unsetenv("LINES")
        unsetenv("COLUMNS")
    }

    private func configure() {
        _ = set_term(screen)
        cbreak()
        noecho()
        nonl()
        _ = keypad(cn_stdscr(), true)
        _ = curs_set(0)
        _ = set_escdelay(25)
        _ = wtimeout(cn_stdscr(), 0)
        if has_colors() {
            _ = start_color()
            _ = use_default_colors()
        }
    }

    /// Whether the terminal can show colour at all.
    var hasColour: Bool { has_colors() && cn_colors() >= 8 }
    var colourCount: Int { Int(cn_colors()) }

    var size: Size { Size(columns: Int(cn_cols()), rows: Int(cn_lines())) }

    /// Writes raw bytes to the terminal (OSC 52) after ncurses has flushed its frame.
    func writeRaw(_ text: String) {
        fputs(text, output)
        fflush(output)
    }

    /// Restores the terminal. Safe to call more than once.
    func close() {
        guard isOpen else { return }
        isOpen = false
        _ = set_term(screen)
        if pasteEnabled { writeRaw(Self.bracketedPasteOff) }
        endwin()
        delscreen(screen)
        if ownsStreams {
            fclose(output)
            fclose(input)
        }
    }

    deinit { close() }
}

/// A terminal that cannot be used, with what to do about it.
public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
