import Foundation
import Testing
import TestSupport

/// A workspace with one deployment whose environment comes from a commented env file.
private struct EnvWorkspace {
    let dir: TemporaryDirectory
    var envFile: URL { dir.url.appendingPathComponent("prod.env") }

    static let envText = """
    # Production settings — keep this comment
    AIRFLOW_VAR_REGION=eu-west-1

    # the warehouse
    AIRFLOW_CONN_WAREHOUSE='postgres://etl:wh-pass-123@wh.internal:5432/analytics'
    AIRFLOW_VAR_FEATURE_FLAG=on

    """

    init(readOnly: Bool = false, extra: String = "") throws {
        dir = try TemporaryDirectory("strata-edit")
        try dir.write("prod.env", Self.envText)
        try dir.write("strata.yaml", """
        deployments:
          - name: prod
            airflow: 3
            env_files: [prod.env]
        \(readOnly ? "    read_only: true\n" : "")\(extra)
        """)
    }

    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> StrataProcess.Result {
        try StrataProcess.run(arguments, in: dir.url, stdin: stdin, environment: environment)
    }

    var envContents: String { (try? String(contentsOf: envFile, encoding: .utf8)) ?? "" }
}

@Suite("strata set / rm: editing from the command line")
struct EditCommandTests {
    @Test func settingAVariableEditsItsLineInPlaceAndItWins() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "var", "region", "us-east-2", "--tier", "env"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Updated AIRFLOW_VAR_REGION"))
        #expect(result.stdout.contains("Airflow now reads var:region from environment"))
        #expect(ws.envContents == EnvWorkspace.envText.replacingOccurrences(of: "REGION=eu-west-1", with: "REGION=us-east-2"))
        let explain = try ws.run(["explain", "region", "--var", "--reveal", "--json"])
        #expect(explain.stdout.contains("us-east-2"))
    }

    @Test func aFieldEditChangesOnlyThatFieldAndKeepsTheSecretOutOfTheOutput() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "conn", "warehouse", "--field", "host=wh2.internal", "--tier", "env"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("host: wh.internal → wh2.internal"))
        #expect(!result.stdout.contains("wh-pass-123") && !result.stderr.contains("wh-pass-123"))
        let explain = try ws.run(["explain", "warehouse", "--conn", "--reveal", "--json"])
        #expect(explain.stdout.contains("wh2.internal"))
        #expect(explain.stdout.contains("wh-pass-123"))
    }

    @Test func aDryRunPrintsTheMaskedPlanAndWritesNothing() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "conn", "warehouse", "--field", "password=n3w-pass", "--tier", "env", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Plan (dry run)"))
        #expect(result.stdout.contains("password: *** → *** (secret, changed)"))
        #expect(result.stdout.contains("nothing was written"))
        #expect(!result.stdout.contains("n3w-pass"))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func aMaskedPlaceholderIsRefusedAndTheFileIsUntouched() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "conn", "warehouse", "--field", "password=***", "--tier", "env"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("masked placeholder"))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func anUnchangedValueIsNotWritten() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "var", "region", "eu-west-1", "--tier", "env"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("already holds this value"))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func aValueFromStandardInputNeverReachesTheOutput() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "var", "api_token", "-", "--tier", "env"], stdin: "tok-9f8e7d\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Created AIRFLOW_VAR_API_TOKEN"))
        #expect(!result.stdout.contains("tok-9f8e7d") && !result.stderr.contains("tok-9f8e7d"))
        let explain = try ws.run(["explain", "api_token", "--var", "--reveal", "--json"])
        #expect(explain.stdout.contains("\"tok-9f8e7d\""))
    }

    @Test(arguments: [
        (["--read-only"], [String: String]()),
        ([String](), ["STRATA_READ_ONLY": "1"]),
    ])
    func theReadOnlyFlagRefusesEveryWrite(_ flags: [String], _ environment: [String: String]) throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "var", "region", "x"] + flags + ["--tier", "env"], environment: environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("--read-only"))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func aReadOnlyDeploymentRefusesDeletesToo() throws {
        let ws = try EnvWorkspace(readOnly: true)
        defer { ws.dir.remove() }
        let result = try ws.run(["rm", "var", "region", "--tier", "env", "--confirm", "region"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("is read-only"))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func deletingNeedsTheIdTyped() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let unconfirmed = try ws.run(["rm", "var", "feature_flag", "--tier", "env"])
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("--confirm feature_flag"))
        let wrong = try ws.run(["rm", "var", "feature_flag", "--tier", "env", "--confirm", "FEATURE_FLAG"])
        #expect(wrong.status == 1)
        #expect(ws.envContents == EnvWorkspace.envText)

        let confirmed = try ws.run(["rm", "var", "feature_flag", "--tier", "env", "--confirm", "feature_flag"])
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect(confirmed.stdout.contains("Deleted AIRFLOW_VAR_FEATURE_FLAG"))
        #expect(confirmed.stdout.contains("No tier supplies var:feature_flag now"))
        #expect(ws.envContents == EnvWorkspace.envText.replacingOccurrences(of: "AIRFLOW_VAR_FEATURE_FLAG=on\n", with: ""))
    }

    @Test func jsonOutputDescribesThePlanAndTheResult() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "conn", "warehouse", "--uri", "postgres://etl:wh-pass-123@wh3.internal:5432/analytics",
                                 "--tier", "env", "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.json() as? [String: Any])
        #expect(object["action"] as? String == "set")
        #expect(object["form"] as? String == "uri")
        #expect(object["name"] as? String == "AIRFLOW_CONN_WAREHOUSE")
        let fields = try #require(object["fields"] as? [[String: Any]])
        #expect(fields.map { $0["field"] as? String } == ["host"])
        let outcome = try #require(object["result"] as? [String: Any])
        #expect(outcome["status"] as? String == "written")
        #expect(outcome["winner_now"] as? String == "env")
    }

    @Test func anInvalidURIGivesAirflowsOwnMessage() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "conn", "warehouse", "--uri", "postgres://h:notaport", "--tier", "env"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("ValueError"))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test(arguments: [
        ("port=abc", "port must be a whole number"),
        ("colour=red", "unknown connection field 'colour'"),
        ("extra={not json", "extra must be JSON text"),
    ])
    func aMalformedFieldIsAUsageErrorAndNothingIsWritten(_ field: String, _ message: String) throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "conn", "warehouse", "--field", field, "--tier", "env"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func settingAnExtraKeyOnANonObjectExtraSaysHowToReplaceIt() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let key = try ws.run(["set", "conn", "warehouse", "--field", "extra=[1]", "--field", "extra.region=eu", "--tier", "env"])
        #expect(key.status == 2)
        #expect(key.stderr.contains("replace it whole with --field extra="))
        #expect(ws.envContents == EnvWorkspace.envText)
    }

    @Test func aTierTheDeploymentLacksIsAUsageError() throws {
        let ws = try EnvWorkspace()
        defer { ws.dir.remove() }
        let result = try ws.run(["set", "var", "region", "x", "--tier", "workers_backend"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("has no workers_backend tier"))
    }

    @Test func aConnectionNeedsExactlyOneInput() throws {
        let result = try StrataProcess.run(["set", "conn", "db", "--uri", "x://", "--field", "host=h", "--tier", "env"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("exactly one of --uri, --json or --field"))
    }
}
