import CNcursesw
import ViewModel

/// A theme turned into ncurses attributes: one colour pair per distinct foreground/background.
struct Palette {
    private(set) var attributes: [StyleRole: attr_t] = [:]
    /// The colour pair each role uses (0: the terminal's default colours).
    private(set) var pairs: [StyleRole: Int16] = [:]
    let theme: Theme

    /// Builds the palette and registers its colour pairs with ncurses. With `colours` < 8 (or a
    /// theme without colour) only attributes are used.
    init(theme: Theme, colours: Int, maxPairs: Int) {
        self.theme = theme
        var pairNumbers: [PairKey: Int16] = [:]
        let useColour = theme.usesColour && colours >= 8
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            var attr = Self.attributes(of: style.attributes)
            var pairNumber: Int16 = 0
            if useColour {
                let key = PairKey(fg: Self.colourNumber(style.foreground, colours: colours),
                                  bg: Self.colourNumber(style.background, colours: colours))
                if key.fg != -1 || key.bg != -1 {
                    if let existing = pairNumbers[key] {
                        pairNumber = existing
                    } else if pairNumbers.count + 1 < maxPairs {
                        pairNumber = Int16(pairNumbers.count + 1)
                        pairNumbers[key] = pairNumber
                        init_pair(pairNumber, key.fg, key.bg)
                    }
                }
                attr |= attr_t(COLOR_PAIR(Int32(pairNumber)))
            }
            attributes[role] = attr
            pairs[role] = pairNumber
        }
    }

    private struct PairKey: Hashable { var fg: Int16; var bg: Int16 }

    static func attributes(of set: Set<ThemeAttribute>) -> attr_t {
        var attr = cn_a_normal()
        for attribute in set {
            switch attribute {
            case .bold: attr |= cn_a_bold()
            case .dim: attr |= cn_a_dim()
            case .underline: attr |= cn_a_underline()
            case .reverse: attr |= cn_a_reverse()
            case .italic: attr |= cn_a_italic()
            }
        }
        return attr
    }

    /// An xterm colour index the terminal can show: -1 for default, the index itself on 256-colour
    /// terminals, otherwise the nearest of the basic 8 or 16.
    static func colourNumber(_ colour: ThemeColor, colours: Int) -> Int16 {
        guard case .indexed(let index) = colour else { return -1 }
        if index < colours { return Int16(index) }
        let (r, g, b) = rgb(ofXterm: index)
        let basicCount = colours >= 16 ? 16 : 8
        let best = (0..<basicCount).min { a, c in
            distance(rgb(ofXterm: a), (r, g, b)) < distance(rgb(ofXterm: c), (r, g, b))
        } ?? 7
        return Int16(best)
    }

    static func rgb(ofXterm index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[max(0, index)] }
        if index >= 232 { let v = 8 + (index - 232) * 10; return (v, v, v) }
        let levels = [0, 95, 135, 175, 215, 255]
        let n = index - 16
        return (levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }
}
