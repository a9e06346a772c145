import Editing
import Engine

extension EditRemedy {
    /// The remedy as the command line says it: the command that shows `key` as it is now.
    func commandHint(for key: SecretKey) -> String {
        let explain = "strata explain \(key.kind == .variable ? "--var" : "--conn") \(ShellWord.quoted(key.id))"
        switch self {
        case .editAgainOnCurrentValue:
            return "See what is there now with `\(explain)`, then run the edit again."
        case .checkWhichValueStays:
            return "See which value stays with `\(explain)`."
        }
    }
}

/// A word as a POSIX shell reads it back unchanged: bare when it is plainly safe, single-quoted otherwise.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
        }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
