import Foundation
import Testing
import TestSupport

/// Secrets that come back inside Airflow's own error text, or inside URLs that do not parse,
/// never reach the output of the real binary unless `--reveal` asks for them.
@Suite("Command line: no secret shown unrevealed")
struct SecretMaskingCLITests {
    /// Lower-case, so a host name Python lower-cases before quoting it is still recognised.
    static let canary = "s3cr3tcanary"

    /// A workspace with one deployment whose inline environment is `env`.
    static func workspace(env: [String: String], files: [String: String] = [:]) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        for (path, text) in files { try dir.write(path, text) }
        var yaml = "deployments:\n  - name: prod\n    env:\n"
        for (key, value) in env.sorted(by: { $0.key < $1.key }) {
            yaml += "      \(key): '\(value.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        try dir.write("strata.yaml", yaml)
        return dir
    }

    static func expectNoCanary(_ result: StrataProcess.Result, _ command: [String],
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.stdout.lowercased().contains(canary), "stdout of \(command): \(result.stdout)",
                sourceLocation: sourceLocation)
        #expect(!result.stderr.lowercased().contains(canary), "stderr of \(command): \(result.stderr)",
                sourceLocation: sourceLocation)
    }

    static func run(_ arguments: [String], _ dir: TemporaryDirectory) throws -> StrataProcess.Result {
        try StrataProcess.run(arguments, in: dir.url)
    }

    // MARK: Airflow's error text quoting a password

    @Test func aBracketedPasswordInAnEnvironmentConnectionIsRedactedEverywhere() throws {
        let dir = try Self.workspace(env: ["AIRFLOW_CONN_DB": "postgres://etl:pa[\(Self.canary)]ss@db.example.com/a"])
        defer { dir.remove() }
        let explain = try Self.run(["explain", "db"], dir)
        #expect(explain.stdout.contains("does not appear to be an IPv4 or IPv6 address"), "\(explain.stdout)")
        #expect(explain.stdout.contains("'***'"))
        for command in [["explain", "db"], ["explain", "db", "--json"], ["lint"], ["lint", "--json"],
                        ["list"], ["list", "--json"], ["compare"], ["compare", "--json"]] {
            Self.expectNoCanary(try Self.run(command, dir), command)
        }
        let revealed = try Self.run(["explain", "db", "--reveal"], dir)
        #expect(revealed.stdout.lowercased().contains("'\(Self.canary)' does not appear"), "\(revealed.stdout)")
        let revealedJSON = try Self.run(["explain", "db", "--json", "--reveal"], dir)
        #expect(revealedJSON.stdout.lowercased().contains(Self.canary))
    }

    @Test func aBadPortQuotedByPythonIsRedacted() throws {
        let dir = try Self.workspace(env: ["AIRFLOW_CONN_P": "postgres://etl:pw@db.example.com:\(Self.canary)/a"])
        defer { dir.remove() }
        for command in [["explain", "p"], ["explain", "p", "--json"], ["lint"], ["list", "--json"]] {
            Self.expectNoCanary(try Self.run(command, dir), command)
        }
        #expect(try Self.run(["explain", "p", "--reveal"], dir).stdout.lowercased().contains(Self.canary))
    }

    @Test func aLocalFilesConnectionThatFailsTheTierIsRedactedInEveryCommand() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("conns.json").path
        try dir.write("conns.json", "{\"db\": \"postgres://etl:pa[\(Self.canary)]ss@db.example.com/a\"}\n")
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            env:
              AIRFLOW__SECRETS__BACKEND: airflow.secrets.local_filesystem.LocalFilesystemBackend
              AIRFLOW__SECRETS__BACKEND_KWARGS: '{"connections_file_path": "\(file)"}'
              AIRFLOW_VAR_PLAIN: hello
        """)
        for command in [["list"], ["list", "--json"], ["explain", "db"], ["explain", "db", "--json"],
                        ["lint"], ["compare"], ["deployments", "--json"], ["backend"]] {
            Self.expectNoCanary(try Self.run(command, dir), command)
        }
        let list = try Self.run(["list"], dir)
        #expect(list.status == 1)
        #expect(list.stdout.contains("FAILED"))
        #expect(list.stdout.contains("plain"), "the other tiers are still listed")
        #expect(list.stderr.contains("the backend tier"))
        #expect(list.stderr.contains("could not be read"))
        #expect(list.stderr.contains("IPv4 or IPv6"))
        let revealed = try Self.run(["list", "--reveal"], dir)
        #expect(revealed.stdout.lowercased().contains(Self.canary), "\(revealed.stdout)")
        #expect(revealed.stderr.lowercased().contains(Self.canary))
    }

    @Test func aRefusedURIGivenToSetIsNotEchoed() throws {
        let dir = try Self.workspace(env: [:], files: [".env": ""])
        defer { dir.remove() }
        try dir.write("strata.yaml", "deployments:\n  - name: prod\n    env_files: [.env]\n")
        let uri = "postgres://etl:pa[\(Self.canary)]ss@db.example.com/a"
        for source in [["--uri", uri], ["--uri", "-"]] {
            let command = ["set", "conn", "db"] + source + ["--tier", "env", "--dry-run"]
            let result = try StrataProcess.run(command, in: dir.url, stdin: uri)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("does not appear to be an IPv4 or IPv6 address"), "\(result.stderr)")
            Self.expectNoCanary(result, command)
        }
    }

    // MARK: URLs with credentials that do not parse

    @Test(arguments: ["https://admin:pa/\(SecretMaskingCLITests.canary)@vault.example.com",
                      "https://admin:pa#\(SecretMaskingCLITests.canary)@vault.example.com"])
    func aVaultURLWithUnparsableCredentialsIsNeverPrinted(url: String) throws {
        let kwargs = "{\"url\": \"\(url)\", \"token\": \"t0ken-not-the-canary\"}"
        let dir = try Self.workspace(env: [
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
        ])
        defer { dir.remove() }
        for command in [["backend"], ["backend", "--json"], ["deployments"], ["deployments", "--json"],
                        ["list"], ["list", "--json"], ["lint"], ["explain", "x"]] {
            Self.expectNoCanary(try Self.run(command, dir), command)
        }
        let backend = try Self.run(["backend"], dir)
        #expect(backend.stdout.contains("admin:***@vault.example.com"), "\(backend.stdout)")
    }

    // MARK: Exit codes CI can trust

    @Test func listCompareAndLintFailWhenAConfiguredTierCannotBeRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            env:
              AIRFLOW__SECRETS__BACKEND: airflow.secrets.local_filesystem.LocalFilesystemBackend
              AIRFLOW__SECRETS__BACKEND_KWARGS: '{"variables_file_path": "\(dir.url.path)/vars.json"}'
              AIRFLOW_VAR_PLAIN: hello
        """)
        try dir.write("vars.json", "{\"a\": 1,,}\n")
        for command in [["list"], ["list", "--json"], ["compare"], ["lint"]] {
            let failing = try Self.run(command, dir)
            #expect(failing.status == 1, "\(command): \(failing.stderr)")
            #expect(failing.stderr.contains("the backend tier"), "\(command): \(failing.stderr)")
            #expect(failing.stderr.split(separator: "\n").filter { $0.contains("could not be read") }.count == 1)
            let allowed = try Self.run(command + ["--allow-unavailable"], dir)
            #expect(allowed.status == 0, "\(command) --allow-unavailable: \(allowed.stderr)")
            #expect(allowed.stderr.contains("could not be read"), "the note stays")
        }
        let json = try Self.run(["list", "--json"], dir)
        #expect((try? json.json()) != nil, "stdout stays valid JSON")
    }

    @Test func aTierThatIsSimplyNotConfiguredDoesNotFail() throws {
        let dir = try Self.workspace(env: ["AIRFLOW_VAR_PLAIN": "hello"])
        defer { dir.remove() }
        for command in [["list"], ["compare"], ["lint"]] {
            let result = try Self.run(command, dir)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("could not be read"))
        }
    }

    // MARK: Terminal injection

    static func expectInert(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let forbidden: Set<Unicode.Scalar> = ["\u{1B}", "\u{07}", "\u{202E}", "\r", "\u{08}", "\u{9B}", "\u{0}"]
        let found = text.unicodeScalars.filter { forbidden.contains($0) }.map { String($0.value, radix: 16) }
        #expect(found.isEmpty, "\(what) holds raw U+\(found)", sourceLocation: sourceLocation)
    }

    @Test func deploymentNamesInErrorsAreInert() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("strata.yaml", """
        deployments:
          - name: "evil\\x1b]0;pwned\\x07"
          - name: "rtl\\u202Eevil"
        """)
        for command in [["list", "-d", "nope"], ["compare", "--deployments", "nope,other"],
                        ["list", "-d", "x\u{1B}[2Jy\r"]] {
            let result = try Self.run(command, dir)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("no deployment named"))
            #expect(result.stderr.contains("\\x1b"), "\(result.stderr)")
            Self.expectInert(result.stderr, "stderr of \(command)")
            Self.expectInert(result.stdout, "stdout of \(command)")
        }
    }

    @Test func badArgumentsAreEchoedInert() throws {
        for arguments in [["list", "--bogus\u{1B}]0;pwned\u{07}"], ["list", "--context", "w\u{202E}orker"],
                          ["frob\u{1B}[2J\u{08}"], ["list", "--vars", "--conns", "x\r\u{9B}"]] {
            let result = try StrataProcess.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
            Self.expectInert(result.stderr, "stderr of \(arguments)")
        }
    }
}
