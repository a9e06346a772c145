import Foundation
import Testing
import Engine
@testable import CloudBackends

/// The Secret Manager tier against the GCP double: the Astro guide's configurations load with
/// the exact secret names, through every credential source, and faults read clearly.
@Suite("GCP Secret Manager tier")
struct SecretManagerTierTests {
    let doubles: CloudDoubles
    let project = CloudDoubles.uniqueName("proj")

    init() throws { doubles = try CloudDoubles.start() }

    func seed(_ secrets: [String: Any]) async throws {
        try await doubles.gcpControl("seed", ["project": project, "secrets": secrets])
    }

    @Test func theGuidesKeyfileDictSetupLoadsVariablesAndConnectionsUnderTheirExactNames() async throws {
        try await seed(["airflow-variables-my_var": "hello", "airflow-connections-my_db": "postgres://u:p@db.example:5432/app",
                        "airflow-variables-empty": "", "unrelated-secret": "x"])
        let source = try CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project))
        let snapshot = try await source.load()
        #expect(snapshot.records.count == 3)
        let variable = try #require(snapshot.record(.variable, "airflow-variables-my_var"))
        #expect(variable.state == .present(.variable("hello")))
        #expect(variable.suggestedID == "my_var")
        #expect(variable.metadata["version"] == "1")
        #expect(snapshot.record(.variable, "airflow-variables-empty")?.state == .empty)
        let connection = try #require(snapshot.record(.connection, "airflow-connections-my_db"))
        #expect(connection.suggestedID == "my_db")
        #expect(connection.rawText == "postgres://u:p@db.example:5432/app")
        guard case .present(.connection(let parsed)) = connection.state else {
            Issue.record("the connection did not parse: \(connection.state)")
            return
        }
        #expect(parsed.host == "db.example")
        #expect(parsed.port == 5432)
        #expect(source.lookupName(for: .variable("my_var")) == .name("airflow-variables-my_var"))
        #expect(source.lookupName(for: .connection("my_db")) == .name("airflow-connections-my_db"))
    }

    @Test func connectionsInJSONFormParseAndBrokenOnesAreUnreadableWithoutTheirValue() async throws {
        try await seed(["airflow-connections-json": #"{"conn_type": "http", "host": "api.example", "password": "pw"}"#,
                        "airflow-connections-blank": "   ",
                        "airflow-connections-badport": "postgres://u:hunter2secret@h:notaport/db"])
        let snapshot = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        if case .present(.connection(let parsed))? = snapshot.record(.connection, "airflow-connections-json")?.state {
            #expect(parsed.connType == "http")
            #expect(parsed.host == "api.example")
        } else {
            Issue.record("the JSON connection did not parse")
        }
        guard case .unreadable(let blank)? = snapshot.record(.connection, "airflow-connections-blank")?.state,
              case .unreadable(let badPort)? = snapshot.record(.connection, "airflow-connections-badport")?.state else {
            Issue.record("broken connections must be unreadable"); return
        }
        #expect(blank.contains("IndexError"))
        #expect(badPort.contains("ValueError"))
        #expect(!badPort.contains("hunter2secret"))
    }

    @Test func everyPageOfTheListingIsRead() async throws {
        var secrets: [String: Any] = [:]
        for index in 0..<23 { secrets["airflow-variables-v\(index)"] = "value \(index)" }
        try await seed(secrets)
        try await doubles.gcpControl("page-size-cap", ["project": project, "cap": 5])
        let snapshot = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        #expect(snapshot.records.filter { $0.kind == .variable }.count == 23)
        let stats = try await doubles.gcpControl("stats", ["project": project])
        // Two prefixes (connections, variables): one page for the empty one, five for the 23 variables.
        #expect(stats["list"] as? Int == 6)
        #expect(stats["access"] as? Int == 23)
    }

    @Test func aNullPrefixSwitchesThatKindOffAndAnEmptyPrefixKeepsTheSeparator() async throws {
        try await seed(["-smtp_default": "smtp://mail", "airflow-variables-x": "1"])
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: project,
                                                         kwargs: ["connections_prefix": "", "variables_prefix": NSNull()])
        let source = try CloudFixtures.source(deployment)
        #expect(source.lookupName(for: .connection("smtp_default")) == .name("-smtp_default"))
        guard case .skipped(let reason) = source.lookupName(for: .variable("x")) else {
            Issue.record("a null variables_prefix must skip variables"); return
        }
        #expect(reason.contains("variables_prefix is null"))
        let snapshot = try await source.load()
        #expect(snapshot.records.map(\.name) == ["-smtp_default"])
        #expect(snapshot.records.first?.suggestedID == "smtp_default")
    }

    @Test func idsOutsideTheSecretIDRuleAreSkippedAsAirflowFallsThrough() throws {
        let source = try CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project))
        guard case .skipped(let reason) = source.lookupName(for: .variable("my.var")) else {
            Issue.record("a dotted id is not a valid secret id"); return
        }
        #expect(reason.contains("INVALID_ARGUMENT"))
    }

    @Test func anInvalidConnectionsPrefixIsRefusedAsAirflowRefusesIt() throws {
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: project, kwargs: ["connections_prefix": "airflow/connections"])
        #expect(throws: TierError.self) { try CloudFixtures.source(deployment) }
    }

    @Test func disabledMissingDeniedAndCorruptSecretsAreReportedOneByOne() async throws {
        try await seed(["airflow-variables-ok": "fine", "airflow-variables-disabled": ["v1", "v2"],
                        "airflow-variables-noversions": NSNull(), "airflow-variables-denied": "no",
                        "airflow-variables-corrupt": "bits"])
        try await doubles.gcpControl("version-state", ["project": project, "secret": "airflow-variables-disabled", "state": "DISABLED"])
        try await doubles.gcpControl("deny", ["project": project, "permission": "secretmanager.versions.access",
                                              "secret": "airflow-variables-denied"])
        try await doubles.gcpControl("corrupt", ["project": project, "secret": "airflow-variables-corrupt"])
        let snapshot = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        #expect(snapshot.record(.variable, "airflow-variables-ok")?.state == .present(.variable("fine")))
        #expect(snapshot.record(.variable, "airflow-variables-noversions") == nil)
        #expect(snapshot.warnings.contains { $0.contains("airflow-variables-noversions") })
        func reason(_ name: String) -> String {
            if case .unreadable(let reason)? = snapshot.record(.variable, name)?.state { return reason }
            return "not unreadable"
        }
        #expect(reason("airflow-variables-disabled").contains("DISABLED"))
        #expect(reason("airflow-variables-denied").contains("permission denied"))
        #expect(reason("airflow-variables-denied").contains("Secret Accessor"))
        #expect(reason("airflow-variables-corrupt").contains("CRC32C"))
        for record in snapshot.records { #expect(!String(describing: record.state).contains("ya29.")) }
    }

    @Test func aListingDenialFailsTheTierWithTheRoleToGrant() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.gcpControl("deny", ["project": project, "permission": "secretmanager.secrets.list"])
        let message = await CloudFixtures.message {
            _ = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        }
        #expect(message?.contains("permission denied for service account strata-reader@") == true)
        #expect(message?.contains("Viewer") == true)
    }

    @Test func throttlingIsRetriedAfterTheServersRetryAfter() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.gcpControl("fault", ["project": project, "kind": "throttle", "count": 2, "retry_after": 0,
                                               "path_contains": "airflow-variables-a"])
        let snapshot = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        #expect(snapshot.record(.variable, "airflow-variables-a")?.state == .present(.variable("1")))
        let stats = try await doubles.gcpControl("stats", ["project": project])
        #expect(stats["access"] as? Int == 3)
    }

    @Test func throttlingThatOutlastsTheRetriesSaysSo() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.gcpControl("fault", ["project": project, "kind": "throttle", "count": 10, "retry_after": 0])
        let message = await CloudFixtures.message {
            _ = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        }
        #expect(message?.contains("throttling") == true)
    }

    @Test func aMalformedReplyNamesTheEndpointToCheck() async throws {
        try await seed(["airflow-variables-a": "1"])
        try await doubles.gcpControl("fault", ["project": project, "kind": "malformed", "count": 1])
        let message = await CloudFixtures.message {
            _ = try await CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project)).load()
        }
        #expect(message?.contains("not a JSON object") == true)
    }
}
