import ViewModel

/// What the run loop acts on after bracketed pastes are put back together.
enum AssembledInput: Equatable {
    case key(Key)
    case paste(String)
    case resize
}

/// Turns the keys of a bracketed paste (`ESC [200~ … ESC [201~`, which ncurses hands over
/// key by key) into one pasted text, so a pasted URI is not read as commands. Anything else
/// passes through as it came.
struct PasteAssembler {
    private static let start: [Key] = [.escape, .char("["), .char("2"), .char("0"), .char("0"), .char("~")]
    private static let end = "\u{1B}[201~"
    /// Keys that may be the start of a paste, held until it is clear.
    private var pending: [Key] = []
    /// The pasted text so far, while inside a paste.
    private var pasted: String?

    /// Whether a paste has begun and not ended.
    var isInsidePaste: Bool { pasted != nil }

    mutating func feed(_ input: TerminalInput) -> [AssembledInput] {
        switch input {
        case .ignored: return []
        case .resize: return flush() + [.resize]
        case .key(let key):
            if var text = pasted {
                text += Self.text(of: key)
                if text.hasSuffix(Self.end) {
                    pasted = nil
                    return [.paste(String(text.dropLast(Self.end.count)))]
                }
                pasted = text
                return []
            }
            if pending.isEmpty && key != .escape { return [.key(key)] }
            pending.append(key)
            if pending == Self.start {
                pending = []
                pasted = ""
                return []
            }
            if Self.start.starts(with: pending) { return [] }
            // Not a paste: an Esc typed before other keys.
            let keys = pending
            pending = []
            var out: [AssembledInput] = []
            for (index, key) in keys.enumerated() {
                if index > 0 && key == .escape {
                    out += feedAll(Array(keys[index...]))
                    return out
                }
                out.append(.key(key))
            }
            return out
        }
    }

    private mutating func feedAll(_ keys: [Key]) -> [AssembledInput] {
        keys.flatMap { feed(.key($0)) }
    }

    /// Called when no more input is waiting: a held Esc was a key of its own.
    mutating func flush() -> [AssembledInput] {
        let keys = pending
        pending = []
        return keys.map(AssembledInput.key)
    }

    private static func text(of key: Key) -> String {
        switch key {
        case .char(let c): return String(c)
        case .enter: return "\n"
        case .tab: return "\t"
        case .escape: return "\u{1B}"
        case .ctrl(let c): return String(Character(Unicode.Scalar(c.asciiValue.map { $0 - 0x60 } ?? 0x3F)))
        default: return ""
        }
    }
}
