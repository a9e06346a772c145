import Foundation

/// The clipboard through the terminal: OSC 52, which also works over SSH and inside tmux.
enum Clipboard {
    /// The escape sequence that asks the terminal to put `text` on the clipboard.
    static func osc52(_ text: String) -> String {
        "\u{1b}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}
