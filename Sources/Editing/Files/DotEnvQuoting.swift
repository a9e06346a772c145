import Engine
/// Writes a value into a dotenv line so that every reader of the file gets it back exactly:
/// Strata's `DotEnvFile`, and Docker Compose's `env_file` parser (compose-go), which
/// `astro dev` uses. The readers differ on unquoted text (compose-go expands `$NAME`, cuts at
/// ` #`), so only plain words stay unquoted; single quotes are literal in both; double quotes
/// carry the rest with the escapes both read alike (`\\`, `\"`, `\$`, `\n`, `\r`).
enum DotEnvQuoting {
    /// The text after `NAME=` for `value`; throws `EditError(.invalid)` for a value no
    /// environment variable can hold.
    static func encode(_ value: String, name: String, path: String) throws -> String {
        if value.unicodeScalars.contains("\0") {
            throw EditError(.invalid, "the value of \(name) contains a NUL character, which no environment variable can hold; "
                            + "nothing was written to \(path)")
        }
        if value.unicodeScalars.allSatisfy(isPlain) { return value }
        // compose-go reads `\'` inside single quotes as an escaped quote, so a value ending in a
        // backslash cannot be single-quoted.
        if !value.unicodeScalars.contains(where: { $0 == "'" || $0 == "\n" || $0 == "\r" }),
           value.unicodeScalars.last != "\\" {
            return "'" + value + "'"
        }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "$": out += "\\$"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Characters that mean the same to every dotenv reader when unquoted.
    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "_", "-", ".", ",", ":", "/", "@", "%", "+", "=", "?", "&", "~", "!", "*", "^", "(", ")", "[", "]",
             "{", "}", "<", ">", "|", ";":
            return true
        default:
            return false
        }
    }
}
