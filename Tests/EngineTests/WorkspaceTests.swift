import Engine
import Foundation
import Testing
import TestSupport

@Suite("Workspace file and Astro projects")
struct WorkspaceTests {
    @Test func aWorkspaceListsDeploymentsWithFilesEnvAndSettings() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("envs/base.env", "AIRFLOW_VAR_A=base\nAIRFLOW_VAR_B=base\n")
        try dir.write("envs/prod.env", "# prod overrides\nexport AIRFLOW_VAR_B=\"prod value\"\n")
        try dir.write("astro/.astro/config.yaml", "project:\n  name: x\n")
        try dir.write("astro/.env", "AIRFLOW_CONN_DB=postgres://h/db\n")
        try dir.write("astro/airflow_settings.yaml", "airflow:\n  variables: []\n")
        try dir.write("astro/Dockerfile", "FROM quay.io/astronomer/astro-runtime:12.6.0\n")
        let file = try dir.write("strata.yaml", """
        theme: light
        deployments:
          - name: local
            project: astro
          - name: prod
            airflow: 3
            env_files: [envs/base.env, envs/prod.env]
            env:
              AIRFLOW_VAR_A: inline
            metastore: sqlite:///data/airflow.db
            read_only: true
        """)
        let workspace = try Workspace.load(file)
        #expect(workspace.theme == "light")
        #expect(workspace.deployments.map(\.name) == ["local", "prod"])

        let local = workspace.deployments[0]
        #expect(local.airflowVersion == .v2, "astro-runtime 12.x runs Airflow 2")
        #expect(local.environment["AIRFLOW_CONN_DB"] == "postgres://h/db")
        #expect(local.airflowSettingsFile?.lastPathComponent == "airflow_settings.yaml")

        let prod = workspace.deployments[1]
        #expect(prod.readOnly)
        #expect(prod.environment["AIRFLOW_VAR_A"] == "inline", "inline env wins over files")
        #expect(prod.environment["AIRFLOW_VAR_B"] == "prod value", "a later file wins")
        #expect(prod.environment.origins["AIRFLOW_VAR_B"] == .file(path: dir.url.appendingPathComponent("envs/prod.env").standardizedFileURL.path, line: 2))
        #expect(prod.metastoreURL == "sqlite://" + dir.url.appendingPathComponent("data/airflow.db").standardizedFileURL.path)
    }

    @Test func theProcessEnvironmentIsOnlyUsedWhenAsked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("strata.yaml", """
        deployments:
          - name: a
          - name: b
            process_env: true
        """)
        let workspace = try Workspace.load(file, processEnvironment: ["AIRFLOW_VAR_FROM_SHELL": "1"])
        #expect(workspace.deployments[0].environment["AIRFLOW_VAR_FROM_SHELL"] == nil)
        #expect(workspace.deployments[1].environment["AIRFLOW_VAR_FROM_SHELL"] == "1")
    }

    @Test func anAstroProjectWithoutAWorkspaceIsTheLocalDeployment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("airflow_settings.yaml", "airflow: {}\n")
        try dir.write("Dockerfile", "FROM quay.io/astronomer/astro-runtime:3.0-4\n")
        let workspace = try Workspace.discover(explicitPath: nil, in: dir.url)
        #expect(workspace.deployments.map(\.name) == ["local"])
        #expect(workspace.deployments[0].airflowVersion == .v3)
    }

    @Test(arguments: [
        ("deployments: []\n", "non-empty list", 1),
        ("deployments:\n  - airflow: 3\n", "has no `name`", 2),
        ("deployments:\n  - name: a\n    airflow: 4\n", "airflow must be 2 or 3", 3),
        ("deployments:\n  - name: a\n    colour: red\n", "unknown key 'colour'", 3),
        ("deployments:\n  - name: a\n  - name: a\n", "two deployments are named 'a'", 3),
        ("deployments:\n  - name: [a\n", "invalid YAML", nil),
        ("deployments:\n  - name: a\n    env_files: [missing.env]\n", "cannot be read", nil),
        ("theme: x\n", "no `deployments:` list", nil),
    ] as [(String, String, Int?)])
    func aBadWorkspaceSaysWhereAndWhat(yaml: String, problem: String, line: Int?) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("strata.yaml", yaml)
        let error = try #require(throws: WorkspaceError.self) { try Workspace.load(file) }
        #expect(error.description.contains(problem), "\(error)")
        if let line { #expect(error.line == line, "\(error)") }
        #expect(!error.fix.isEmpty)
    }

    @Test func noWorkspaceAndNoProjectTellsTheUserWhatToDo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let error = try #require(throws: WorkspaceError.self) { try Workspace.discover(explicitPath: nil, in: dir.url) }
        #expect(error.description.contains("strata demo"))
    }
}

@Suite("Deployment dotenv files")
struct DotEnvFileTests {
    @Test func quotesCommentsAndExportAreReadAsComposeReadsThem() throws {
        let file = try DotEnvFile.parse("""
        \u{FEFF}# comment
        A=plain value # trailing comment
        export B='single # kept'
        C="double\\nline"
        D=
        E="spans
        two lines"
        F=a=b=c\r
        """, path: ".env")
        let values = Dictionary(uniqueKeysWithValues: file.entries.map { ($0.name, $0.value) })
        #expect(values == ["A": "plain value", "B": "single # kept", "C": "double\nline", "D": "",
                           "E": "spans\ntwo lines", "F": "a=b=c"])
        #expect(file.entries.map(\.line) == [2, 3, 4, 5, 6, 8])
    }

    @Test func aLineWithoutEqualsNamesTheLineButNotItsContent() throws {
        let error = try #require(throws: DotEnvError.self) {
            try DotEnvFile.parse("A=1\nsupersecretvalue\n", path: "x.env")
        }
        #expect(error.line == 2)
        #expect(!error.description.contains("supersecretvalue"))
    }

    @Test func anUnclosedQuoteIsAnError() throws {
        let error = try #require(throws: DotEnvError.self) { try DotEnvFile.parse("A=\"open\n", path: "x.env") }
        #expect(error.description.contains("never closed"))
    }
}
