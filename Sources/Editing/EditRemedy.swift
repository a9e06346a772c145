import Engine
/// What the user can do after an edit that was refused or overtaken, said without naming any
/// front end's keys or commands: the TUI and the CLI each phrase it their own way.
public enum EditRemedy: String, Sendable, Hashable {
    /// Someone changed the tier since Strata read it and nothing was written: read it again and
    /// redo the edit on what is there now.
    case editAgainOnCurrentValue = "edit_again_on_current_value"
    /// Strata's write went through but someone else wrote right after it: read the tier again
    /// to see which value stays.
    case checkWhichValueStays = "check_which_value_stays"
}
