import Foundation
import Testing
import TestSupport
import StrataCLI

@Suite("Command line: exit codes and messages")
struct CLIUsageTests {
    @Test func conflictingFlagsAreAUsageError() throws {
        let result = try StrataProcess.run(["list", "--vars", "--conns"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--vars and --conns exclude each other"))
    }

    @Test func versionIsPrintedWithoutAWorkspace() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try StrataProcess.run(["--version"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "strata \(StrataVersion.current)\n")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func shellCompletionsAreGenerated(shell: String) throws {
        let result = try StrataProcess.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("strata"))
        for subcommand in ["list", "explain", "test", "compare"] {
            #expect(result.stdout.contains(subcommand), "the \(shell) script completes \(subcommand)")
        }
    }

    @Test func anUnknownCommandIsAUsageError() throws {
        let result = try StrataProcess.run(["frobnicate"])
        #expect(result.status == 2)
    }

    @Test func noWorkspaceIsAFailureThatSaysWhatToDo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try StrataProcess.run(["list"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no workspace found"))
        #expect(result.stderr.contains("strata demo"))
    }

    @Test func anUnknownDeploymentNamesTheOnesThatExist() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("strata.yaml", "deployments:\n  - name: alpha\n  - name: beta\n")
        let result = try StrataProcess.run(["list", "--deployment", "gamma"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("alpha, beta"))
    }

    @Test func aBrokenWorkspaceFileNamesFileAndLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("strata.yaml", "deployments:\n  - name: a\n    airflow: 9\n")
        let result = try StrataProcess.run(["deployments"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("strata.yaml:3"))
        #expect(result.stderr.contains("airflow must be 2 or 3"))
    }

    @Test func helpExitsCleanly() throws {
        let result = try StrataProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("explain"))
    }
}
