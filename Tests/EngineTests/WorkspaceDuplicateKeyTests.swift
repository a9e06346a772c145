import Engine
import Foundation
import Testing
import TestSupport

/// `strata.yaml` is Strata's own format: a key repeated within one mapping is an error that
/// names the key and every line it is on (the error's line is the first repeat), whatever
/// YAML style the file is written in.
@Suite("Duplicate keys in strata.yaml")
struct WorkspaceDuplicateKeyTests {
    private func error(_ text: String) throws -> WorkspaceError? {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("strata.yaml", text)
        do {
            _ = try Workspace.load(file, processEnvironment: [:])
            return nil
        } catch let error as WorkspaceError {
            #expect(error.path == file.path)
            return error
        }
    }

    @Test func aRepeatedDeploymentSettingNamesTheKeyAndItsLines() throws {
        let found = try #require(try error("""
            deployments:
              - name: prod
                airflow: 3
                read_only: true
                airflow: 2
            """))
        #expect(found.line == 5)
        #expect(found.problem == "the key 'airflow' appears 2 times in the same mapping, on lines 3 and 5")
        #expect(found.fix.contains("keep one of them"))
    }

    @Test func aKeyRepeatedThreeTimesInALargeEnvBlockListsEveryLine() throws {
        var text = "deployments:\n  - name: big\n    env:\n"
        for i in 0..<100 { text += "      AIRFLOW_VAR_V\(i): value \(i)\n" }
        text += "      AIRFLOW_VAR_V7: again\n      AIRFLOW_VAR_V7: and again\n"
        let found = try #require(try error(text))
        #expect(found.problem == "the key 'AIRFLOW_VAR_V7' appears 3 times in the same mapping, on lines 11, 104 and 105")
        #expect(found.line == 104)
    }

    @Test func flowStyleAndQuotedKeysAreCheckedToo() throws {
        let found = try #require(try error("deployments: [{name: a, env: {\"X\": 1, 'Y': 2, X: 3}}]\n"))
        #expect(found.problem == "the key 'X' appears 2 times in the same mapping, on line 1")
        let top = try #require(try error("theme: dark\ndeployments:\n  - name: a\ntheme: light\n"))
        #expect(top.problem == "the key 'theme' appears 2 times in the same mapping, on lines 1 and 4")
    }

    @Test func theSameKeyInDifferentMappingsIsFine() throws {
        #expect(try error("deployments:\n  - name: a\n    env: {A: 1}\n  - name: b\n    env: {A: 2}\n") == nil)
    }
}
