import Foundation
import Testing
import Engine

/// `timeouts:` in a workspace file: per deployment, each key optional, every value range-checked.
@Suite("Workspace timeouts")
struct RemoteTimeoutsWorkspaceTests {
    let file = URL(fileURLWithPath: "/tmp/strata-timeouts-test/strata.yaml")

    func parse(_ timeouts: String?) throws -> Deployment {
        var text = "deployments:\n  - name: prod\n"
        if let timeouts { text += "    timeouts: \(timeouts)\n" }
        return try Workspace.parse(text, at: file, processEnvironment: [:]).deployments[0]
    }

    @Test func absentTimeoutsAreTheDefaultsThatAnswerWithinThirtySeconds() throws {
        let timeouts = try parse(nil).timeouts
        #expect(timeouts == .standard)
        #expect(timeouts.connect == .seconds(5) && timeouts.request == .seconds(10) && timeouts.tier == .seconds(25))
    }

    @Test func givenTimeoutsReplaceOnlyTheirOwnDefault() throws {
        let timeouts = try parse("{request: 2.5, tier: 60}").timeouts
        #expect(timeouts.connect == .seconds(5))
        #expect(timeouts.request == .milliseconds(2500))
        #expect(timeouts.tier == .seconds(60))
    }

    @Test(arguments: ["{tier: 1e300}", "{tier: .inf}", "{connect: -1}", "{request: 0}", "{tier: 3601}",
                      "{tier: soon}", "{tier: 0x10}", "{request: [1]}", "5"])
    func anOutOfRangeOrNonNumericTimeoutIsAClearError(_ value: String) {
        let error = #expect(throws: WorkspaceError.self) { _ = try parse(value) }
        #expect(error?.description.contains("timeouts") == true)
        #expect(error?.line != nil)
    }

    @Test func theRangeIsNamedInTheMessage() {
        let error = #expect(throws: WorkspaceError.self) { _ = try parse("{tier: 1e300}") }
        #expect(error?.problem.contains("timeouts.tier must be a number of seconds from 0.1 to 3600") == true)
    }

    @Test func anUnknownTimeoutKeyIsRefused() {
        let error = #expect(throws: WorkspaceError.self) { _ = try parse("{read: 5}") }
        #expect(error?.problem.contains("unknown key 'read'") == true)
    }
}
