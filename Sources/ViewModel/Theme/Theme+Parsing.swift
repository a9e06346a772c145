import Engine
extension Theme {
    /// Reads a theme file (format in themes/README.md). Roles it leaves out keep `base`'s look.
    ///
    ///     # comment
    ///     base = default
    ///     selection = black on cyan bold
    ///     muted = 244 dim
    public static func parse(_ text: String, name: String, file: String, base: Theme? = nil) throws -> Theme {
        var baseTheme = base
        var styles: [StyleRole: ThemeStyle] = [:]
        var usesColour = true
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#"), !isHexColourStart(line, at: hash) { line = line[..<hash] }
            let trimmed = line.trimmed(of: " \t\r")
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw ThemeError(file: file, line: lineNumber,
                                 message: "expected 'role = colour [on colour] [attributes]', found '\(InertText.make(trimmed))'")
            }
            let key = trimmed[..<equals].trimmed(of: " \t").lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmed(of: " \t")
            switch key {
            case "base":
                guard let found = BuiltinThemes.theme(named: value.lowercased()) else {
                    throw ThemeError(file: file, line: lineNumber,
                                     message: "unknown base theme '\(InertText.make(value))'; built-in themes: \(BuiltinThemes.names.joined(separator: ", "))")
                }
                baseTheme = found
            case "colour", "color":
                switch value.lowercased() {
                case "yes", "true", "on": usesColour = true
                case "no", "false", "off": usesColour = false
                default:
                    throw ThemeError(file: file, line: lineNumber, message: "'\(key)' takes yes or no, found '\(InertText.make(value))'")
                }
            default:
                guard let role = StyleRole(rawValue: key) else {
                    throw ThemeError(file: file, line: lineNumber,
                                     message: "unknown style role '\(InertText.make(key))'; known roles: \(StyleRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                do {
                    styles[role] = try parseStyle(value)
                } catch let message as StyleMessage {
                    throw ThemeError(file: file, line: lineNumber, message: "\(role.rawValue): \(message.text)")
                }
            }
        }
        var merged = baseTheme?.styles ?? [:]
        for (role, style) in styles { merged[role] = style }
        return Theme(name: name, styles: merged, usesColour: usesColour)
    }

    private struct StyleMessage: Error { var text: String }

    /// `fg [on bg] [attr…]`, or `on bg [attr…]`, or attributes alone.
    private static func parseStyle(_ text: String) throws -> ThemeStyle {
        var style = ThemeStyle()
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map { $0.lowercased() }
        var index = 0
        var sawForeground = false
        while index < words.count {
            let word = words[index]
            if word == "on" {
                guard index + 1 < words.count, let colour = parseColour(words[index + 1]) else {
                    throw StyleMessage(text: "'on' must be followed by a colour (a name, 0-255 or #rrggbb)")
                }
                style.background = colour
                index += 2
                continue
            }
            if let attribute = ThemeAttribute(rawValue: word) {
                style.attributes.insert(attribute)
            } else if let colour = parseColour(word), !sawForeground {
                style.foreground = colour
                sawForeground = true
            } else {
                throw StyleMessage(text: "'\(InertText.make(word))' is not a colour (a name such as cyan or bright-red, 0-255, #rrggbb, default) or an attribute (\(ThemeAttribute.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            index += 1
        }
        return style
    }

    static let colourNames: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    static func parseColour(_ word: String) -> ThemeColor? {
        if word == "default" { return .terminalDefault }
        if let index = colourNames[word] { return .indexed(index) }
        if let number = Int(word), (0...255).contains(number) { return .indexed(number) }
        if word.hasPrefix("#"), word.count == 7, let rgb = Int(word.dropFirst(), radix: 16) {
            return .indexed(nearestXtermColour(red: (rgb >> 16) & 0xFF, green: (rgb >> 8) & 0xFF, blue: rgb & 0xFF))
        }
        return nil
    }

    /// The closest colour of the xterm 6×6×6 cube or grey ramp (terminals without true colour).
    static func nearestXtermColour(red: Int, green: Int, blue: Int) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func nearestLevel(_ v: Int) -> Int { levels.indices.min { abs(levels[$0] - v) < abs(levels[$1] - v) }! }
        let (r, g, b) = (nearestLevel(red), nearestLevel(green), nearestLevel(blue))
        let cube = 16 + 36 * r + 6 * g + b
        let cubeDistance = sq(levels[r] - red) + sq(levels[g] - green) + sq(levels[b] - blue)
        let average = (red + green + blue) / 3
        let greyIndex = max(0, min(23, (average - 8 + 5) / 10))
        let greyLevel = 8 + greyIndex * 10
        let greyDistance = sq(greyLevel - red) + sq(greyLevel - green) + sq(greyLevel - blue)
        return greyDistance < cubeDistance ? 232 + greyIndex : cube
    }

    private static func sq(_ v: Int) -> Int { v * v }

    private static func isHexColourStart(_ line: Substring, at index: Substring.Index) -> Bool {
        // `#` starts a comment unless it begins a `#rrggbb` colour after a space.
        guard index > line.startIndex else { return false }
        let before = line[line.index(before: index)]
        let after = line[line.index(after: index)...].prefix(6)
        return before == " " && after.count == 6 && after.allSatisfy(\.isHexDigit)
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        var start = startIndex, end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
