import Engine
import Testing
@testable import ViewModel

/// Marking entries for `C`: Space marks the selected entry (and moves on), `*` marks what the
/// filter shows, `u` clears; marks show as a column in the list.
@Suite struct CopyMarkingTests {
    @Test func spaceMarksTheSelectedEntryMovesDownAndUnmarksOnASecondPress() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.select(.variable("region"))
        let next = harness.state.visible.count > harness.state.selected + 1
            ? harness.state.entries[harness.state.visible[harness.state.selected + 1]].key : nil
        await harness.press(.char(" "))
        #expect(harness.state.markedEntries == [.variable("region")])
        #expect(harness.state.selectedEntry?.key == next, "Space moves to the next entry so a run can be marked")
        #expect(harness.frame.textLines.contains { $0.contains("●VAR  region") }, "the mark column shows the mark")
        await harness.select(.variable("region"))
        await harness.press(.char(" "))
        #expect(harness.state.markedEntries.isEmpty)
        #expect(!harness.screenText.contains("●"))
    }

    @Test func spaceInTheDeploymentsPaneStillMarksADeploymentToCompare() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.press(.char("1"), .char("j"), .char(" "))
        #expect(harness.state.markedDeployments == [1])
        #expect(harness.state.markedEntries.isEmpty)
    }

    @Test func starMarksEveryEntryTheFilterShowsAndAgainUnmarksThem() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.press(.char("/"))
        await harness.type("var:")
        await harness.press(.enter, .char("*"))
        let variables = Set(harness.state.entries.map(\.key).filter { $0.kind == .variable })
        #expect(variables.count == 3)
        #expect(harness.state.markedEntries == variables, "connections, hidden by the filter, stay unmarked")
        #expect(harness.frame.textLines.contains { $0.contains("● 3 marked") })
        await harness.press(.char("*"))
        #expect(harness.state.markedEntries.isEmpty)
    }

    @Test func uClearsEveryMark() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.mark(.variable("region"), .connection("my_postgres"))
        #expect(harness.state.markedEntries.count == 2)
        await harness.press(.char("u"))
        #expect(harness.state.markedEntries.isEmpty)
        #expect(harness.state.message?.text == "cleared 2 marks")
    }

    @Test func marksAreDroppedWhenAnotherDeploymentIsOpened() async {
        let harness = CopySample().harness()
        await harness.start()
        await harness.mark(.variable("region"))
        await harness.press(.char("1"), .char("j"), .enter)
        #expect(harness.state.activeDeploymentValue?.name == "staging")
        #expect(harness.state.markedEntries.isEmpty)
    }

    @Test func helpListsTheMarkingAndCopyKeys() async {
        let harness = CopySample().harness()
        await harness.start()
        let help = HelpContent.lines(harness.state).map(\.plainText)
        #expect(help.contains { $0.contains("Space") && $0.contains("mark the entry for C") })
        #expect(help.contains { $0.hasPrefix("  *") && $0.contains("mark every entry the filter shows") })
        #expect(help.contains { $0.hasPrefix("  u ") && $0.contains("clear every mark") })
        #expect(help.contains { $0.hasPrefix("  C ") && $0.contains("copy the marked (or selected) entries") })
        #expect(help.contains { $0.contains("on conflict: fail → skip → overwrite") })
        #expect(help.contains { $0.contains("apply the plan") })
    }
}
