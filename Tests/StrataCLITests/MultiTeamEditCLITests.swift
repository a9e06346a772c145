import Foundation
import Testing
import TestSupport

/// `strata set` and `strata explain` in a workspace of two teams sharing one metastore
/// (Airflow 3.2+ multi-team): a team's new row is its own, another team's row is absent for it
/// with the reason, and writing over that row is refused with nothing written.
@Suite("Command line: multi-team edits")
struct MultiTeamEditCLITests {
    static func workspace() async throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let database = dir.url.appendingPathComponent("airflow.db")
        try FileManager.default.copyItem(at: Fixtures.url("metastore/airflow-3.3.2-nofernet.sqlite"), to: database)
        // The teams exist in Airflow's `team` table (`airflow teams create`); rows name them.
        let status = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.executemany("INSERT INTO team (name) VALUES (?)", [("team_a",), ("team_b",)])
            db.commit()
            """, database.path], environment: ProcessInfo.processInfo.environment)
        try #require(status == 0)
        var yaml = "deployments:\n"
        for team in ["team_a", "team_b"] {
            yaml += """
                  - name: \(team.replacingOccurrences(of: "_", with: "-"))
                    airflow: 3
                    metastore: sqlite:///airflow.db
                    env:
                      AIRFLOW__CORE__MULTI_TEAM: 'True'
                    team: \(team)

                """
        }
        try dir.write("strata.yaml", yaml)
        return dir
    }

    @Test func aTeamsNewRowIsItsOwnAndAnotherTeamCannotOverwriteIt() async throws {
        let dir = try await Self.workspace()
        defer { dir.remove() }
        let created = try await StrataProcess.runAwaiting(["set", "var", "theirs", "b value", "--tier", "metastore", "-d", "team-b"], in: dir.url)
        #expect(created.status == 0, "\(created.stderr)")

        let explained = try await StrataProcess.runAwaiting(["explain", "theirs", "--var", "-d", "team-a"], in: dir.url)
        #expect(explained.stdout.contains("no tier supplies a usable value"), "\(explained.stdout)")
        #expect(explained.stdout.contains("why: team_name is 'team_b'"), "\(explained.stdout)")

        let refused = try await StrataProcess.runAwaiting(["set", "var", "theirs", "a-value-7731", "--tier", "metastore", "-d", "team-a"], in: dir.url)
        #expect(refused.status != 0)
        #expect((refused.stdout + refused.stderr).contains("belongs to team 'team_b'"), "\(refused.stdout)\(refused.stderr)")
        #expect(!(refused.stdout + refused.stderr).contains("a-value-7731"), "the refusal never echoes the value")

        let kept = try await StrataProcess.runAwaiting(["explain", "theirs", "--var", "--reveal", "-d", "team-b"], in: dir.url)
        #expect(kept.stdout.contains("b value"), "team b's row is as it was")
    }
}
