/// A terminal colour as themes name it.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 xterm colours (0–7 normal, 8–15 bright).
    case indexed(Int)
}

/// Text attributes a theme may set.
public enum ThemeAttribute: String, Sendable, Hashable, CaseIterable {
    case bold, dim, underline, reverse, italic
}

/// How one style role looks.
public struct ThemeStyle: Sendable, Hashable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: Set<ThemeAttribute>

    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: Set<ThemeAttribute> = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The same attributes without any colour, for terminals that have none.
    public var withoutColour: ThemeStyle { ThemeStyle(attributes: attributes) }
}

/// A theme: the look of every style role. Roles a theme file leaves out come from its base.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [StyleRole: ThemeStyle]
    /// Whether the theme uses colour at all (`mono` does not).
    public var usesColour: Bool

    public init(name: String, styles: [StyleRole: ThemeStyle], usesColour: Bool = true) {
        self.name = name
        self.styles = styles
        self.usesColour = usesColour
    }

    /// The style of `role`, falling back to plain text.
    public func style(for role: StyleRole) -> ThemeStyle {
        styles[role] ?? styles[.text] ?? ThemeStyle()
    }
}

/// A theme file that cannot be used: the file, the line and what is wrong.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
