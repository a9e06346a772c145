import Engine
import Testing
import TestSupport

@Suite("Comparing tiers and deployments")
struct TierMatrixTests {
    func load(_ sources: [any TierSource], name: String = "d", environment: [String: String] = [:]) async -> DeploymentState {
        let deployment = Deployment(name: name, environment: DeploymentEnvironment(environment))
        return await DeploymentLoader(factory: FixedTierFactory(sources)).loadAll(deployment, context: .server)
    }

    @Test func everyCellStateAppearsWithItsSymbol() async throws {
        let state = await load([
            InMemoryTier(.backend, records: [
                .variable("a", "1"),
                .record(.variable, "u", .unreadable(reason: "permission denied")),
            ], naming: { $0.id == "skip" ? .skipped(reason: "pattern") : .name($0.id) }),
            InMemoryTier(.env, records: [.variable("a", "1"), .variable("b", "x"), .variable("skip", "s")]),
            InMemoryTier(.metastore, records: [.variable("a", "2"), .variable("b", "")]),
        ])
        let matrix = TierMatrix(tiers: state.chain, resolutions: state.resolveAll())
        func cells(_ id: String) -> [TierMatrix.CellState] {
            matrix.rows.first { $0.key.id == id }!.cells.map(\.state)
        }
        #expect(cells("a") == [.winner, .same, .differs])
        #expect(cells("b") == [.absent, .winner, .differs])
        #expect(cells("skip") == [.skipped, .winner, .absent])
        #expect(cells("u") == [.unreadable, .absent, .absent])
        #expect(Set(TierMatrix.CellState.allCases.map(\.symbol)).count == TierMatrix.CellState.allCases.count,
                "each state has its own symbol, so the matrix reads without colour")
    }

    @Test func filtersKeepShadowedDifferingOrProblemRows() async throws {
        let state = await load([
            InMemoryTier(.backend, records: [.variable("same", "1"), .variable("diff", "1")]),
            InMemoryTier(.env, records: [.variable("same", "1"), .variable("diff", "2"), .variable("alone", "x"),
                                         .record(.variable, "bad", .unreadable(reason: "r"))]),
        ])
        let matrix = TierMatrix(tiers: state.chain, resolutions: state.resolveAll())
        #expect(matrix.filtered(.shadowed).rows.map(\.key.id) == ["diff", "same"])
        #expect(matrix.filtered(.differing).rows.map(\.key.id) == ["diff"])
        #expect(matrix.filtered(.problems).rows.map(\.key.id) == ["bad"])
        #expect(matrix.filtered(.all).rows.count == 4)
    }

    @Test func connectionsShowWhichFieldsDifferWithoutShowingSecrets() async throws {
        let winner = Connection(connType: "postgres", host: "db", login: "etl", password: "one", port: 5432,
                                extra: #"{"sslmode": "require", "timeout": 5}"#)
        var shadowed = winner
        shadowed.password = "two"
        shadowed.extra = #"{"sslmode": "disable", "timeout": 5, "extra_key": 1}"#
        let state = await load([
            InMemoryTier(.backend, records: [.connection("db", winner)]),
            InMemoryTier(.metastore, records: [.connection("db", shadowed)]),
        ])
        let matrix = TierMatrix(tiers: state.chain, resolutions: state.resolveAll())
        let metastore = try #require(matrix.rows.first?.cells.last)
        #expect(metastore.differingFields == [.password, .extraKey("extra_key"), .extraKey("sslmode")])
        #expect(metastore.differingFields.filter(\.isSecret) == [.password])
        let fingerprints = matrix.rows[0].cells.compactMap(\.fingerprint)
        #expect(fingerprints.count == 2 && fingerprints[0] != fingerprints[1])
        #expect(!fingerprints.contains { $0.contains("one") || $0.contains("two") })
    }

    @Test func deploymentsCompareOnTheirEffectiveValues() async throws {
        let staging = await load([InMemoryTier(.env, records: [.variable("region", "eu"), .variable("only_staging", "x")])], name: "staging")
        let prod = await load([InMemoryTier(.backend, records: [.variable("region", "us")]),
                               InMemoryTier(.env, records: [.variable("region", "eu")])], name: "prod")
        let comparison = DeploymentComparison([("staging", staging.resolveAll()), ("prod", prod.resolveAll())])
        #expect(comparison.deployments == ["staging", "prod"])
        let region = try #require(comparison.rows.first { $0.key.id == "region" })
        #expect(region.cells.map(\.state) == [.same, .differs])
        #expect(region.cells.map(\.winner) == [.env, .backend])
        #expect(region.cells[1].differingFields == [.value])
        let only = try #require(comparison.rows.first { $0.key.id == "only_staging" })
        #expect(only.cells.map(\.state) == [.same, .missing])
        // Each cell carries the fingerprint of its effective value, never the value.
        #expect(region.cells.map(\.fingerprint) == [SecretFingerprint.of("eu"), SecretFingerprint.of("us")])
    }
}

@Suite("Lint: each finding with its fix")
struct LinterTests {
    func findings(_ sources: [any TierSource], environment: DeploymentEnvironment = DeploymentEnvironment()) async -> [LintFinding] {
        let deployment = Deployment(name: "d", environment: environment)
        let state = await DeploymentLoader(factory: FixedTierFactory(sources)).loadAll(deployment, context: .server)
        return Linter().lint(state)
    }

    func only(_ rule: String, in findings: [LintFinding]) throws -> LintFinding {
        let matching = findings.filter { $0.rule == rule }
        try #require(matching.count == 1, "expected one \(rule), got \(findings.map(\.rule))")
        return matching[0]
    }

    @Test func aShadowedDifferingValueIsAWarningNamingTheFields() async throws {
        let result = await findings([
            InMemoryTier(.backend, records: [.connection("db", Connection(connType: "postgres", host: "a"))]),
            InMemoryTier(.env, records: [.connection("AIRFLOW_CONN_DB", Connection(connType: "postgres", host: "b"), id: "db")],
                         naming: InMemoryTier.environmentNaming),
        ])
        let finding = try only("shadowed-differs", in: result)
        #expect(finding.level == .warning)
        #expect(finding.message.contains("AIRFLOW_CONN_DB"))
        #expect(finding.message.contains("differs in: host"))
        #expect(finding.fix.contains("remove the shadowed value"))
    }

    @Test func aMetastoreRowBelowAWinnerIsADeadWrite() async throws {
        let result = await findings([
            InMemoryTier(.env, records: [.variable("same", "1"), .variable("diff", "1")]),
            InMemoryTier(.metastore, records: [.variable("same", "1"), .variable("diff", "2")]),
        ])
        let dead = result.filter { $0.rule == "dead-metastore-row" }
        #expect(dead.map(\.key?.id).sorted { ($0 ?? "") < ($1 ?? "") } == ["diff", "same"])
        #expect(dead.first { $0.key?.id == "diff" }?.level == .warning)
        #expect(dead.first { $0.key?.id == "same" }?.level == .info)
        #expect(dead.allSatisfy { $0.fix.contains("delete the metastore row") })
    }

    @Test func aCaseCollisionIsAnError() async throws {
        let result = await findings([
            InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_K", "v", id: "k")], naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.variable("k", "a"), .variable("K", "b")]),
        ])
        // Once for the group, naming every member, not once per member.
        let collisions = result.filter { $0.rule == "case-collision" }
        #expect(collisions.count == 1)
        #expect(collisions.first?.message.hasPrefix("variable K and k are read from the same name (AIRFLOW_VAR_K)") == true,
                "\(collisions.first?.message ?? "")")
        #expect(collisions.allSatisfy { $0.level == .error && $0.fix.contains("rename") })
        #expect(!result.contains { $0.rule == "latent-case-collision" }, "an actual collision is not also reported as latent")
    }

    @Test func idsThatDifferOnlyInCaseAreALatentCollisionBeforeAnythingSetsTheEnvironment() async throws {
        let result = await findings([
            InMemoryTier(.env, records: [], naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [.variable("my_var", "a"), .variable("MY_VAR", "b"), .variable("My_Var", "c"),
                                               .connection("db", Connection(connType: "http")), .variable("other", "d")]),
        ])
        let latent = result.filter { $0.rule == "latent-case-collision" }
        #expect(latent.count == 1, "one finding for the group of three")
        #expect(latent.first?.level == .info)
        #expect(latent.first?.key == .variable("MY_VAR"))
        #expect(latent.first?.message.hasPrefix("variables MY_VAR, My_Var, my_var differ only in case") == true, "\(latent.first?.message ?? "")")
        #expect(!result.contains { $0.rule == "case-collision" })
    }

    @Test func anIdTheBackendSkipsIsAWarning() async throws {
        let result = await findings([
            InMemoryTier(.backend, records: [], naming: { _ in .skipped(reason: "Key Vault names allow only letters, digits and '-'") }),
            InMemoryTier(.metastore, records: [.variable("a.b", "x")]),
        ])
        let finding = try only("backend-skips-id", in: result)
        #expect(finding.message.contains("Key Vault names"))
        #expect(finding.fix.contains("rename the id"))
    }

    @Test func anInvalidValueIsAnErrorAndSaysHowToCheckIt() async throws {
        let result = await findings([
            InMemoryTier(.env, records: [.record(.connection, "AIRFLOW_CONN_X", id: "x", .unreadable(reason: "Invalid connection string."))],
                         naming: InMemoryTier.environmentNaming),
        ])
        #expect(try only("unreadable-value", in: result).fix.contains("strata uri parse"))
        #expect(try only("no-usable-value", in: result).level == .error)
    }

    @Test func aClearTextMetastoreRowWithAFernetKeySetIsAWarning() async throws {
        var record = TierRecord.connection("db", Connection(connType: "postgres", password: "p"))
        record.metadata["is_encrypted"] = "false"
        let result = await findings([InMemoryTier(.metastore, records: [record])],
                                    environment: DeploymentEnvironment(["AIRFLOW__CORE__FERNET_KEY": "k"]))
        #expect(try only("plaintext-metastore-row", in: result).level == .warning)
        let withoutKey = await findings([InMemoryTier(.metastore, records: [record])])
        #expect(!withoutKey.contains { $0.rule == "plaintext-metastore-row" })
    }

    @Test func aSecretInAnEnvFileIsAWarningWithFileAndLine() async throws {
        var environment = DeploymentEnvironment()
        environment.set("AIRFLOW_VAR_API_TOKEN", "t", origin: .file(path: "/p/.env", line: 7))
        environment.set("AIRFLOW_VAR_REGION", "eu", origin: .file(path: "/p/.env", line: 8))
        let result = await findings([
            InMemoryTier(.env, records: [.variable("AIRFLOW_VAR_API_TOKEN", "t", id: "api_token"),
                                         .variable("AIRFLOW_VAR_REGION", "eu", id: "region")],
                         naming: InMemoryTier.environmentNaming),
        ], environment: environment)
        let finding = try only("secret-in-env-file", in: result)
        #expect(finding.key?.id == "api_token")
        #expect(finding.message.contains("/p/.env:7"))
    }

    @Test func anUnreachableTierIsAnError() async throws {
        let result = await findings([InMemoryTier(.backend, records: [], failure: "connection refused; is Vault running?")])
        #expect(try only("tier-unreachable", in: result).level == .error)
    }

    @Test func findingsNeverQuoteValues() async throws {
        let result = await findings([
            InMemoryTier(.backend, records: [.variable("k", "SECRET-ONE")]),
            InMemoryTier(.metastore, records: [.variable("k", "SECRET-TWO")]),
        ])
        #expect(!result.isEmpty)
        #expect(!result.contains { ($0.message + $0.fix).contains("SECRET-") })
    }
}
