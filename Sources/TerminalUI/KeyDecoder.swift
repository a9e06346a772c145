import CNcursesw
import ViewModel

/// What one `wget_wch` call produced.
enum TerminalInput: Equatable {
    case key(Key)
    case resize
    case ignored
}

/// Turns ncurses input codes into keys.
enum KeyDecoder {
    /// A character code (`wget_wch` returned OK).
    static func decode(character code: UInt32) -> TerminalInput {
        switch code {
        case 0x1B: return .key(.escape)
        case 0x0D, 0x0A: return .key(.enter)
        case 0x09: return .key(.tab)
        case 0x7F, 0x08: return .key(.backspace)
        case 0x01...0x1A:
            return .key(.ctrl(Character(Unicode.Scalar(code + 0x60)!)))
        case 0x00..<0x20: return .ignored
        default:
            guard let scalar = Unicode.Scalar(code) else { return .ignored }
            return .key(.char(Character(scalar)))
        }
    }

    /// A function-key code (`wget_wch` returned KEY_CODE_YES).
    static func decode(function code: Int32) -> TerminalInput {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .resize
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .key(.function(n)) }
            return .ignored
        }
    }

    /// Reads one input event without waiting; nil when there is none.
    static func read() -> TerminalInput? {
        var code: wint_t = 0
        let result = wget_wch(cn_stdscr(), &code)
        switch result {
        case OK: return decode(character: UInt32(code))
        case KEY_CODE_YES: return decode(function: Int32(code))
        default: return nil
        }
    }
}
