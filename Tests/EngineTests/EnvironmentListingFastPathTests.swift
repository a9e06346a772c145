@testable import Engine
import Foundation
import Testing
import TestSupport

/// The environment tier lists ASCII names through a byte-level fast path; these cases hold it
/// to the general path (Swift's `hasPrefix`, `<` and Unicode case mapping) record for record.
@Suite("Environment listing: the ASCII fast path agrees with the exact path")
struct EnvironmentListingFastPathTests {
    /// Names chosen to stress the byte sort (shared 16-byte prefixes, padding against NUL),
    /// the suggested id (case, digits, teams) and the fallback (non-ASCII, CR LF).
    static let awkwardNames: [String] = [
        "AIRFLOW_VAR_", "AIRFLOW_CONN_", "AIRFLOW_VAR_A", "AIRFLOW_VAR_a", "AIRFLOW_VAR_MY_VAR",
        "AIRFLOW_VAR_my_var", "AIRFLOW_VAR_My_Var", "AIRFLOW_CONN_MY-DB", "AIRFLOW_CONN_my-db",
        "AIRFLOW_VAR_ABCDEFGHIJKLMNOP", "AIRFLOW_VAR_ABCDEFGHIJKLMNOPQ", "AIRFLOW_VAR_ABCDEFGHIJKLMNOPA",
        "AIRFLOW_VAR_ABCDEFGHIJKLMNO", "AIRFLOW_VAR_ABCDEFGHIJKLMNO\u{0}", "AIRFLOW_VAR_ABCDEFGHIJKLMNO\u{0}\u{0}",
        "AIRFLOW_VAR_ABC\u{0}", "AIRFLOW_VAR_ABC", "AIRFLOW_VAR_ABC\u{1}",
        "AIRFLOW_VAR__TEAM___ID", "AIRFLOW_VAR__team___id", "AIRFLOW_CONN__DATA_ENG___WAREHOUSE", "AIRFLOW_VAR____X",
        "AIRFLOW_VAR__", "AIRFLOW_VAR_1", "AIRFLOW_VAR_10", "AIRFLOW_VAR_9", "AIRFLOW_VAR_.", "AIRFLOW_VAR_~",
        "AIRFLOW_VAR_X\r\nY", "AIRFLOW_CONN_A B", "AIRFLOW__CORE__LOAD_EXAMPLES", "AIRFLOW_VARX", "AIRFLOW_CONNX",
        "AIRFLOW_", "AIRFLOW", "PATH", "A", "",
    ]

    static let nonASCIINames: [String] = [
        "AIRFLOW_VAR_STRASSE_ß", "AIRFLOW_VAR_ÉTÉ", "AIRFLOW_VAR_\u{301}X", "AIRFLOW_CONN_ﬁ", "AIRFLOW_VAR_ı",
        "AIRFLOW_VAR_E\u{301}", "AIRFLOW_VAR_\u{C9}",
    ]

    static func values(_ i: Int) -> String {
        ["", "x", " ", "postgres://u:p@h:5432/db", "http://h:99999/x", " \u{3000}\t", "{\"conn_type\": \"http\"}", "café"][i % 8]
    }

    static func check(_ environment: DeploymentEnvironment, expectFastPath: Bool? = nil, replay: String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) {
        for dialect in [ConnectionDialect.core, .sdk] {
            let tier = EnvironmentTier(environment: environment, dialect: dialect)
            let exact = tier.exactSnapshot()
            let fast = tier.asciiSnapshot()
            if let expectFastPath { #expect((fast != nil) == expectFastPath, "\(replay)", sourceLocation: sourceLocation) }
            guard let fast else { continue }
            #expect(fast.records.map(\.name) == exact.records.map(\.name), "\(replay)", sourceLocation: sourceLocation)
            #expect(fast.records == exact.records, "\(replay)", sourceLocation: sourceLocation)
            #expect(fast.warnings == exact.warnings, "\(replay)", sourceLocation: sourceLocation)
            #expect(tier.snapshot().records == exact.records, "\(replay)", sourceLocation: sourceLocation)
        }
    }

    @Test func awkwardASCIINamesAgree() {
        var environment = DeploymentEnvironment()
        for (i, name) in Self.awkwardNames.enumerated() {
            environment.set(name, Self.values(i), origin: i % 3 == 0 ? .inline : .file(path: "/p/.env", line: i + 1))
        }
        Self.check(environment, expectFastPath: true)
        // A name set twice lists once, with its later value and origin.
        environment.set("AIRFLOW_VAR_A", "again", origin: .process)
        Self.check(environment, expectFastPath: true)
        let listed = EnvironmentTier(environment: environment, dialect: .core).snapshot().records.filter { $0.name == "AIRFLOW_VAR_A" }
        #expect(listed.count == 1 && listed.first?.rawText == "again" && listed.first?.metadataValue(forKey: "source") == "process environment")
    }

    @Test func aNonASCIINameSendsTheWholeListingToTheExactPath() {
        for name in Self.nonASCIINames {
            var environment = DeploymentEnvironment(["AIRFLOW_VAR_A": "1", name: "2"])
            Self.check(environment, expectFastPath: false)
            // Non-ASCII names that are not ours do not matter.
            environment = DeploymentEnvironment(["AIRFLOW_VAR_A": "1", "X" + name: "2", "AIRFLOW__" + name: "3"])
            Self.check(environment, expectFastPath: true)
        }
    }

    @Test func generatedEnvironmentsAgree() {
        var generator = SeededGenerator()
        let alphabet = Array("AZaz09_-.~ \u{0}\u{7F}")
        for round in 0..<200 {
            var environment = DeploymentEnvironment()
            for i in 0..<Int.random(in: 1...60, using: &generator) {
                let prefix = ["AIRFLOW_VAR_", "AIRFLOW_CONN_", "AIRFLOW_VAR__", "AIRFLOW_VAR_ABCDEFGHIJKLMNOP", "AIRFLOW_", "OTHER_"]
                    .randomElement(using: &generator)!
                let suffix = String((0..<Int.random(in: 0...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
                let origin: EnvironmentOrigin = [.inline, .process, .file(path: "/w/.env", line: i + 1)].randomElement(using: &generator)!
                environment.set(prefix + suffix, Self.values(i + round), origin: origin)
            }
            Self.check(environment, expectFastPath: true, replay: generator.replay)
        }
    }

    @Test func aLargeDotEnvListsInNameOrder() throws {
        var environment = DeploymentEnvironment()
        for i in 0..<3_000 { environment.set("AIRFLOW_VAR_VAR_\(i)", "v\(i)", origin: .file(path: "/p/.env", line: i + 1)) }
        for i in 0..<1_000 { environment.set("AIRFLOW_CONN_CONN_\(i)", "postgres://u:p\(i)@h:5432/db", origin: .file(path: "/p/.env", line: i + 3_001)) }
        let records = EnvironmentTier(environment: environment, dialect: .core).snapshot().records
        #expect(records.map(\.name) == records.map(\.name).sorted())
        #expect(records.first?.suggestedID == "conn_0")
        #expect(records.last?.metadata["line"] == "1000")
        Self.check(environment, expectFastPath: true)
    }
}
