import Foundation
import Testing
import TestSupport

/// `strata export`: values in full, but only into a new 0600 file or, asked for, on stdout;
/// a summary on stderr that never holds a value; exit codes a script can trust.
@Suite("strata export")
struct ExportCommandTests {
    static let canaries = ["exp0rt-canary-pw", "var-canary-value"]

    static func workspace(backendFile: String? = nil) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("strata-export")
        let backend = backendFile.map { """

              AIRFLOW__SECRETS__BACKEND: airflow.secrets.local_filesystem.LocalFilesystemBackend
              AIRFLOW__SECRETS__BACKEND_KWARGS: '{"variables_file_path": "\(dir.url.path)/\($0)"}'
        """ } ?? ""
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            airflow: 3
            env:
              AIRFLOW_VAR_REGION: var-canary-value
              AIRFLOW_VAR_JSON_LIKE: '{"b":2,  "a":[1]}'
              AIRFLOW_CONN_WAREHOUSE: 'postgres://etl:exp0rt-canary-pw@wh.internal:5432/analytics'\(backend)
        """)
        return dir
    }

    static func run(_ arguments: [String], _ dir: TemporaryDirectory) throws -> StrataProcess.Result {
        try StrataProcess.run(["export"] + arguments, in: dir.url)
    }

    static func expectNoValue(_ text: String, _ context: String) {
        for canary in canaries { #expect(!text.contains(canary), "\(context): a value reached stderr") }
    }

    static func mode(_ url: URL) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    @Test func anExportIsANew0600FileHoldingEveryValueWithAMaskedSummary() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let result = try Self.run(["--vars", "--format", "json", "--output", "vars.json"], dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("wrote 2 variables to vars.json"))
        Self.expectNoValue(result.stderr, "export")
        let file = dir.url.appendingPathComponent("vars.json")
        #expect(try Self.mode(file) == 0o600)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: String]
        #expect(written == ["json_like": #"{"b":2,  "a":[1]}"#, "region": "var-canary-value"])
    }

    @Test func valuesReachStandardOutputOnlyWithReveal() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let refused = try Self.run(["--conns", "--format", "env"], dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--output") && refused.stderr.contains("--reveal"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        let revealed = try Self.run(["--conns", "--format", "env", "--reveal"], dir)
        #expect(revealed.status == 0, "\(revealed.stderr)")
        #expect(revealed.stdout == "warehouse=postgres://etl:exp0rt-canary-pw@wh.internal:5432/analytics\n")
        Self.expectNoValue(revealed.stderr, "revealed export")
    }

    @Test func anExistingFileIsReplacedOnlyWithForceAndThenBecomes0600() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        let file = try dir.write("conns.yaml", "keep me\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let refused = try Self.run(["--conns", "--format", "yaml", "--output", "conns.yaml"], dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep me\n")
        let forced = try Self.run(["--conns", "--format", "yaml", "--output", "conns.yaml", "--force"], dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("warehouse:\n  conn_type: postgres\n"))
        #expect(try Self.mode(file) == 0o600)
        Self.expectNoValue(forced.stderr, "forced export")
    }

    @Test func anUnreadableTierFailsTheExportAndWritesNothingUnlessAllowed() throws {
        let dir = try Self.workspace(backendFile: "vars.json")
        defer { dir.remove() }
        try dir.write("vars.json", "{\"a\": 1,,}\n")
        let failing = try Self.run(["--vars", "--format", "json", "--output", "out.json"], dir)
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("the backend tier") && failing.stderr.contains("could not be read"), "\(failing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("out.json").path))
        // The env tier alone is readable: exporting it does not need the backend.
        let envOnly = try Self.run(["--vars", "--format", "json", "--output", "env.json", "--tier", "env"], dir)
        #expect(envOnly.status == 0, "\(envOnly.stderr)")
        let allowed = try Self.run(["--vars", "--format", "json", "--output", "out.json", "--allow-unavailable"], dir)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("could not be read"), "the note stays")
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("out.json").path))
    }

    @Test func aKeyTheFormatCannotHoldIsNamedAndFailsTheExitUnlessAllowed() throws {
        let dir = try TemporaryDirectory("strata-export")
        defer { dir.remove() }
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            airflow: 3
            env:
              AIRFLOW_VAR_OK: fine
              AIRFLOW_VAR_MULTI: "two\\nlines var-canary-value"
        """)
        let result = try Self.run(["--vars", "--format", "env", "--output", "vars.env"], dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("skipped variable multi"), "\(result.stderr)")
        Self.expectNoValue(result.stderr, "skipping export")
        #expect(try String(contentsOf: dir.url.appendingPathComponent("vars.env"), encoding: .utf8) == "ok=fine\n")
        let allowed = try Self.run(["--vars", "--format", "env", "--output", "again.env", "--allow-skipped"], dir)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test func usageMistakesAreRefusedBeforeAnythingIsRead() throws {
        let dir = try Self.workspace()
        defer { dir.remove() }
        for arguments in [["--format", "json", "--output", "x.json"],            // which kind?
                          ["--vars", "--format", "json", "--output", "x.yaml"],  // Airflow would read YAML
                          ["--vars", "--conns", "--format", "astro", "--output", "airflow_settings.yaml"],
                          ["--vars", "--format", "xml", "--output", "x.xml"]] {
            let result = try Self.run(arguments, dir)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
        }
        let airflow2 = try Self.run(["--vars", "--format", "yaml", "--output", "v.yaml", "--for-airflow", "2"], dir)
        #expect(airflow2.status == 1 && airflow2.stderr.contains("Airflow 2's variables import reads only JSON"), "\(airflow2.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("v.yaml").path))
        let astro = try Self.run(["--format", "astro", "--output", "airflow_settings.yaml"], dir)
        #expect(astro.status == 0, "\(astro.stderr)")
        #expect(astro.stderr.contains("wrote 1 connection and 2 variables"), "\(astro.stderr)")
    }
}
