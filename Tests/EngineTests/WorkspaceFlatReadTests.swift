@testable import Engine
import Foundation
import Testing

/// A workspace in the plain block style is read in place from Strata's flat document; any
/// other style goes through Yams. Both must give the same workspace and the same errors.
@Suite("Workspace files read in place agree with Yams")
struct WorkspaceFlatReadTests {
    static let block = """
        theme: dark
        deployments:
          - name: local
            airflow: 2
            read_only: yes
            metastore: sqlite:///airflow.db
            timeouts:
              connect: 2
              tier: 40
            env:
              AIRFLOW_VAR_A: one
              AIRFLOW_CONN_DB: 'postgres://u:p@h/s'
              HOME: /home/airflow
          - name: prod
            env:
              AIRFLOW__SECRETS__BACKEND: x.Y
        """

    /// The same content, with a flow mapping the flat composer declines (so Yams reads it).
    static let flow = """
        theme: dark
        deployments:
          - name: local
            airflow: 2
            read_only: yes
            metastore: sqlite:///airflow.db
            timeouts: {connect: 2, tier: 40}
            env:
              AIRFLOW_VAR_A: one
              AIRFLOW_CONN_DB: 'postgres://u:p@h/s'
              HOME: /home/airflow
          - name: prod
            env: {AIRFLOW__SECRETS__BACKEND: x.Y}
        """

    static let url = URL(fileURLWithPath: "/tmp/strata-flat-read/strata.yaml")

    @Test func theBlockStyleIsReadInPlace() throws {
        let flat = try #require(try WorkspaceYAMLCheck.check(Self.block, path: Self.url.path))
        #expect(FlatWorkspaceNode.Document(text: Self.block, flat: flat).root.pairs?.count == 2)
        #expect(try WorkspaceYAMLCheck.check(Self.flow, path: Self.url.path) == nil)
    }

    @Test func bothReadersGiveTheSameWorkspace() throws {
        let inPlace = try Workspace.parse(Self.block, at: Self.url, processEnvironment: [:])
        let viaYams = try Workspace.parse(Self.flow, at: Self.url, processEnvironment: [:])
        #expect(inPlace.theme == "dark" && viaYams.theme == "dark")
        #expect(inPlace.deployments.map(\.name) == ["local", "prod"])
        #expect(inPlace.deployments.map(\.name) == viaYams.deployments.map(\.name))
        for (a, b) in zip(inPlace.deployments, viaYams.deployments) {
            #expect(a.airflowVersion == b.airflowVersion && a.readOnly == b.readOnly && a.metastoreURL == b.metastoreURL)
            #expect(a.timeouts == b.timeouts)
            #expect(a.environment == b.environment)
        }
        #expect(inPlace.deployments[0].environment["AIRFLOW_CONN_DB"] == "postgres://u:p@h/s")
        #expect(inPlace.deployments[0].timeouts.connect == .seconds(2))
    }

    @Test("an error names the same line on both paths", arguments: [
        ("deployments:\n  - name: a\n    airflow: 7\n", "deployments:\n  - {name: a, airflow: 7}\n", 3, 2),
        ("deployments:\n  - name: a\n    colour: red\n", "deployments:\n  - {name: a, colour: red}\n", 3, 2),
        ("deployments:\n  - name: a\n  - name: a\n", "deployments: [{name: a}, {name: a}]\n", 3, 1),
    ])
    func errorsNameTheirLine(_ block: String, _ flow: String, _ blockLine: Int, _ flowLine: Int) throws {
        #expect(try WorkspaceYAMLCheck.check(block, path: Self.url.path) != nil)
        let inPlace = #expect(throws: WorkspaceError.self) { try Workspace.parse(block, at: Self.url, processEnvironment: [:]) }
        let viaYams = #expect(throws: WorkspaceError.self) { try Workspace.parse(flow, at: Self.url, processEnvironment: [:]) }
        #expect(inPlace?.line == blockLine && viaYams?.line == flowLine)
        #expect(inPlace?.problem == viaYams?.problem)
    }
}
