/// A line (or several) of text being typed, with a cursor counted in characters.
public struct TextField: Sendable, Hashable {
    public private(set) var text: String
    /// The cursor, as a character offset into `text` (0…count).
    public private(set) var cursor: Int
    /// Whether Enter inserts a line break (a variable's value) instead of finishing.
    public var multiline: Bool

    public init(_ text: String = "", multiline: Bool = false) {
        self.text = text
        self.cursor = text.count
        self.multiline = multiline
    }

    /// Replaces the whole text, cursor at the end.
    public mutating func set(_ text: String) {
        self.text = text
        cursor = text.count
    }

    /// Inserts at the cursor. Line breaks are kept only in a multi-line field.
    public mutating func insert(_ typed: String) {
        let clean = multiline ? typed.replacing("\r\n", with: "\n") : String(typed.filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(contentsOf: clean, at: index)
        cursor += clean.count
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(String(c))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace:
            guard cursor > 0 else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .ctrl("u"):
            text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: cursor))
            cursor = 0
        case .ctrl("k"):
            text.removeSubrange(text.index(text.startIndex, offsetBy: cursor)...)
        case .enter where multiline:
            insert("\n")
        default:
            return false
        }
        return true
    }

    /// The text before and after the cursor, for drawing it.
    public var split: (before: String, after: String) {
        let index = text.index(text.startIndex, offsetBy: cursor)
        return (String(text[..<index]), String(text[index...]))
    }
}
