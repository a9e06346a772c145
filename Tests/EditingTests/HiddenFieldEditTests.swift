import Engine
import Testing
@testable import Editing

/// The planner refuses a masked placeholder as a value — except where it is the mask of a
/// field the tier hides (the REST API's `***`) and the edit leaves that field as it was: the
/// writer never sends such a field, so it is kept.
@Suite("Editing values with hidden fields")
struct HiddenFieldEditTests {
    static let hiddenToken = HiddenFields([["extra", "token"]])

    @Test func anUnchangedHiddenExtraKeyIsKept() {
        let base = Connection(connType: "http", host: "a", extra: #"{"token": "***"}"#)
        var edited = base
        edited.host = "b"
        #expect(MaskedPlaceholder.fields(in: .connection(edited)) == ["extra.token"], "the planner's check sees the mask")
        #expect(EditPlanner.isKeptHidden("extra.token", hidden: Self.hiddenToken, base: .connection(base), value: .connection(edited)))
    }

    @Test func aMaskInAnEditedExtraOrAnUnhiddenFieldIsStillRefused() {
        let base = Connection(connType: "http", extra: #"{"token": "***"}"#)
        var edited = base
        edited.extra = #"{"token": "***", "more": 1}"#
        #expect(!EditPlanner.isKeptHidden("extra.token", hidden: Self.hiddenToken, base: .connection(base), value: .connection(edited)))
        #expect(!EditPlanner.isKeptHidden("extra.token", hidden: .none, base: .connection(base), value: .connection(base)))
        #expect(!EditPlanner.isKeptHidden("password", hidden: HiddenFields([["password"]]), base: .connection(base),
                                          value: .connection(Connection(connType: "http", password: "***"))))
    }

    @Test func aHiddenVariableKeepsItsMaskOnlyWhenTheValueIsUntouched() {
        let hidden = HiddenFields([["value"]])
        #expect(EditPlanner.isKeptHidden("value", hidden: hidden, base: .variable("***"), value: .variable("***", description: "d")))
        #expect(!EditPlanner.isKeptHidden("value", hidden: hidden, base: .variable("***"), value: .variable("****", description: nil)))
    }
}
