import Editing
import Engine

extension EditRemedy {
    /// The remedy as the TUI says it: its reload key, then what to do.
    var terminalHint: String {
        switch self {
        case .editAgainOnCurrentValue: "Reload (R) to see what is there now, then edit again."
        case .checkWhichValueStays: "Reload (R) to see which value stays."
        }
    }
}
