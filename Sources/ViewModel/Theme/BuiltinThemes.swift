// The themes in themes/*.theme, compiled in so that an installed binary works without them.
// A test keeps these texts identical to the files; edit the files, then copy them here.

/// The themes built into the binary, by name.
public enum BuiltinThemes {
    /// Built-in theme names, in the order they are listed to users.
    public static let names = ["default", "light", "high-contrast", "mono"]

    /// A built-in theme, parsed.
    public static func theme(named name: String) -> Theme? {
        guard let text = source(named: name) else { return nil }
        // The built-in texts are tested to parse; a failure here is a programming error.
        return try? Theme.parse(text, name: name, file: "built-in \(name).theme")
    }

    /// The default theme.
    public static var fallback: Theme { theme(named: "default")! }

    /// The mono theme, for NO_COLOR and terminals without colour.
    public static var mono: Theme { theme(named: "mono")! }

    /// A built-in theme's file text.
    public static func source(named name: String) -> String? {
        switch name {
        case "default": return defaultText
        case "light": return lightText
        case "high-contrast": return highContrastText
        case "mono": return monoText
        default: return nil
        }
    }

    static let defaultText = #"""
# Strata's default theme: the terminal's own background, colour only where it means something.
text = default
muted = 245
border = 240
border-focused = cyan
title = white bold
title-focused = bright-cyan bold
selection = black on cyan
selection-inactive = on 237
kind-connection = magenta bold
kind-variable = blue bold
tier-workers = bright-magenta
tier-backend = bright-yellow
tier-env = bright-green
tier-metastore = bright-blue
marker-shadowed = 245
marker-differs = yellow bold
marker-collision = bright-magenta bold
marker-unreadable = bright-red bold
label = 244
value = default
masked = 242
revealed = bright-yellow bold
escaped = bright-red underline
ok = green
warning = yellow
error = bright-red bold
loading = cyan
status-bar = 252 on 236
status-key = bright-cyan on 236 bold
prompt = bright-white on 24
help-key = bright-cyan bold
help-section = bright-white bold underline
message = black on yellow
"""#

    static let lightText = #"""
# For terminals with a light background: darker inks, pale selection bars.
text = default
muted = 242
border = 248
border-focused = 25
title = black bold
title-focused = 25 bold
selection = white on 25
selection-inactive = on 254
kind-connection = 90 bold
kind-variable = 25 bold
tier-workers = 90
tier-backend = 130
tier-env = 28
tier-metastore = 25
marker-shadowed = 242
marker-differs = 130 bold
marker-collision = 90 bold
marker-unreadable = 160 bold
label = 242
value = default
masked = 245
revealed = 160 bold
escaped = 160 underline
ok = 28
warning = 130
error = 160 bold
loading = 25
status-bar = black on 253
status-key = 25 on 253 bold
prompt = white on 25
help-key = 25 bold
help-section = black bold underline
message = black on 222
"""#

    static let highContrastText = #"""
# Maximum contrast: white on black, bright colours, bold where it matters.
text = bright-white on black
muted = white on black
border = white on black
border-focused = bright-yellow on black bold
title = bright-white on black bold
title-focused = bright-yellow on black bold underline
selection = black on bright-yellow bold
selection-inactive = black on white
kind-connection = bright-magenta on black bold
kind-variable = bright-cyan on black bold
tier-workers = bright-magenta on black bold
tier-backend = bright-yellow on black bold
tier-env = bright-green on black bold
tier-metastore = bright-cyan on black bold
marker-shadowed = bright-white on black
marker-differs = bright-yellow on black bold
marker-collision = bright-magenta on black bold
marker-unreadable = bright-red on black bold underline
label = bright-white on black
value = bright-white on black bold
masked = white on black
revealed = black on bright-yellow bold
escaped = bright-red on black bold underline
ok = bright-green on black bold
warning = bright-yellow on black bold
error = bright-white on red bold
loading = bright-cyan on black
status-bar = black on white
status-key = black on bright-yellow bold
prompt = black on bright-cyan bold
help-key = bright-yellow on black bold
help-section = bright-white on black bold underline
message = black on bright-yellow bold
"""#

    static let monoText = #"""
# No colour at all: attributes only. Used for NO_COLOR and terminals without colour.
colour = no
text = default
muted = dim
border = default
border-focused = bold
title = bold
title-focused = bold underline
selection = reverse
selection-inactive = underline
kind-connection = bold
kind-variable = default
tier-workers = default
tier-backend = default
tier-env = default
tier-metastore = default
marker-shadowed = dim
marker-differs = bold
marker-collision = bold
marker-unreadable = bold underline
label = dim
value = default
masked = dim
revealed = bold underline
escaped = underline
ok = default
warning = bold
error = bold reverse
loading = dim
status-bar = reverse
status-key = reverse bold
prompt = reverse
help-key = bold
help-section = bold underline
message = reverse bold
"""#

}
