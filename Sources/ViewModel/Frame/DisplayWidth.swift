/// Terminal column widths, computed the way glibc's `wcwidth` (and so ncurses) computes them.
///
/// The frame and the terminal must agree on every width, or a CJK id shifts the rest of its row;
/// tests compare this table with glibc's `wcwidth` scalar by scalar.
public enum DisplayWidth {
    /// The columns one scalar takes: 0 for combining and format characters, 2 for East Asian
    /// wide and fullwidth characters (emoji with emoji presentation among them), otherwise 1.
    /// Control characters count 1 here because the frame never holds them raw (see `InertText`).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }          // ASCII and Latin-1: the common case, no table lookups
        if isZeroWidth(v, scalar) { return 0 }
        if isWide(v, scalar) { return 2 }
        return 1
    }

    /// The columns a whole string takes.
    public static func of(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += of(scalar) }
        return total
    }

    /// Splits text into terminal cells: each spacing scalar starts a cell and carries the
    /// zero-width scalars after it, exactly as ncurses builds a `cchar_t`.
    public static func cells(of text: String) -> [(text: String, width: Int)] {
        var result: [(text: String, width: Int)] = []
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let width = of(scalar)
            if width == 0 {
                if result.isEmpty { result.append((" ", 1)) }
                result[result.count - 1].text.unicodeScalars.append(scalar)
            } else {
                result.append((String(scalar), width))
            }
        }
        return result
    }

    /// The text cut to at most `columns` columns, ending in "…" when something was cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if text.utf8.count <= columns, text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if of(text) <= columns { return text }
        var out = ""
        var used = 0
        for cell in cells(of: text) {
            if used + cell.width > columns - 1 { break }
            out += cell.text
            used += cell.width
        }
        return out + "…"
    }

    /// The text padded with spaces (or cut) to exactly `columns` columns.
    public static func pad(_ text: String, to columns: Int) -> String {
        let cut = truncate(text, to: columns)
        let width = of(cut)
        return width >= columns ? cut : cut + String(repeating: " ", count: columns - width)
    }

    // MARK: - Tables

    private static func isZeroWidth(_ v: UInt32, _ scalar: Unicode.Scalar) -> Bool {
        // Hangul medial vowels and final consonants combine into the preceding syllable.
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7C6).contains(v) || (0xD7CB...0xD7FB).contains(v) { return true }
        if v == 0x1171E { return true }
        if v == 0x200B { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        // Prepended concatenation marks are format characters that glibc still gives a column.
        case .format: return !prependedMarks.contains(v) && !(0x0600...0x0605).contains(v)
        default: return false
        }
    }

    private static let prependedMarks: Set<UInt32> = [0x00AD, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD]

    private static func isWide(_ v: UInt32, _ scalar: Unicode.Scalar) -> Bool {
        if v < 0x1100 { return false }
        if (0x1F1E6...0x1F1FF).contains(v) { return false }   // regional indicators: one column each in glibc
        if scalar.properties.isEmojiPresentation, v >= 0x231A { return true }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    /// East Asian Wide and Fullwidth ranges beyond the emoji-presentation characters (Unicode 15).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5,
        0x2FF0...0x2FFB, 0x3000...0x303E, 0x3041...0x3096, 0x3099...0x30FF, 0x3105...0x312F,
        0x3131...0x318E, 0x3190...0x31E3, 0x31F0...0x321E, 0x3220...0xA48C, 0xA490...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE52, 0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFF60,
        0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5,
        0x18D00...0x18D08, 0x1AFF0...0x1AFFE, 0x1B000...0x1B122, 0x1B132...0x1B132, 0x1B150...0x1B152,
        0x1B155...0x1B155, 0x1B164...0x1B167, 0x1B170...0x1B2FB, 0x1F200...0x1F202, 0x1F210...0x1F23B,
        0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
