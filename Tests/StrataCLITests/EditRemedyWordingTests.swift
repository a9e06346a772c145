import Foundation
import Testing
import Editing
import Engine
@testable import StrataCLI

/// The command line words an edit's remedy as the command to run, quoted for the shell.
@Suite("Edit remedies on the command line")
struct EditRemedyWordingTests {
    @Test func aRemedyNamesTheExplainCommandForTheKey() {
        #expect(EditRemedy.editAgainOnCurrentValue.commandHint(for: .variable("region"))
            == "See what is there now with `strata explain --var region`, then run the edit again.")
        #expect(EditRemedy.checkWhichValueStays.commandHint(for: .connection("my_db"))
            == "See which value stays with `strata explain --conn my_db`.")
    }

    @Test(arguments: [("plain_id-1.x/y", "plain_id-1.x/y"), ("", "''"), ("a b", "'a b'"), ("it's", "'it'\\''s'"),
                      ("$(rm -rf ~)", "'$(rm -rf ~)'"), ("-n", "-n"), ("a*", "'a*'")])
    func idsAreQuotedSoTheShellReadsThemBackUnchanged(_ id: String, _ quoted: String) {
        #expect(ShellWord.quoted(id) == quoted)
    }

    @Test func noEngineMessageNamesAKeyOfTheTUI() throws {
        // Front-end advice belongs to the front ends: Engine and the tier modules say what happened.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources.path)
            .filter { !["ViewModel", "TerminalUI", "StrataCLI", "strata", "strata-bench", "CNcursesw"].contains($0) }
        #expect(modules.contains("Engine") && modules.contains("VaultBackend"))
        var offenders: [String] = []
        for module in modules {
            let folder = sources.appendingPathComponent(module)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                if text.contains("Reload (R)") || text.contains("press R") { offenders.append("\(module)/\(file)") }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}

/// `explain` says when a running Airflow may serve a cached value.
@Suite("Explain and the secrets cache")
struct ExplainSecretsCacheTests {
    @Test func explainAddsTheCacheNoteOnlyWhenTheDeploymentTurnsTheCacheOn() {
        for (variables, expected) in [(["AIRFLOW__SECRETS__USE_CACHE": "True", "AIRFLOW__SECRETS__CACHE_TTL_SECONDS": "120"], true),
                                      ([:], false)] {
            let deployment = Deployment(name: "d", environment: DeploymentEnvironment(variables))
            let resolution = DeploymentState(deployment: deployment, context: .server, slots: []).resolve(.variable("region"))
            let text = ExplainText.render(resolution, deployment: deployment, masking: .masked)
            #expect(text.contains("note: [secrets] use_cache is on") == expected)
            #expect(text.contains("up to 120 s old") == expected)
        }
    }
}
