import Engine
import Foundation
import TestSupport
import XCTest
@testable import ViewModel

/// `t` on a connection asks the deployment's own Airflow (through its `api:` block) to test the
/// value Strata resolved; a value with a field its source hides is never sent or copied.
final class ConnectionTestKeyTests: XCTestCase {
    static let hiddenPassword = HiddenFields([["password"]])

    static func deployment(api: Bool) -> Deployment {
        var deployment = Deployment(name: "astro-prod", airflowVersion: .v3)
        if api { deployment.api = AirflowAPISettings(baseURL: URL(string: "https://example.astronomer.run/d1")!, signIn: .token(variable: "T")) }
        return deployment
    }

    static func harness(api: Bool = true) -> Harness {
        let env = InMemoryTier(.env, records: [.connection("AIRFLOW_CONN_WAREHOUSE", Connection(connType: "postgres", host: "wh", password: "pw"),
                                                           id: "warehouse")], naming: InMemoryTier.environmentNaming)
        let restAPI = InMemoryTier(.metastore, label: "metastore via REST API at example.astronomer.run", records: [
            TierRecord(kind: .connection, name: "hidden_db", suggestedID: "hidden_db",
                       state: .present(.connection(Connection(connType: "postgres", host: "db"))),
                       metadata: [HiddenFields.metadataKey: hiddenPassword.metadataText]),
        ])
        return Harness(deployments: [deployment(api: api)], factory: FixedTierFactory([env, restAPI]),
                       size: Size(columns: 160, rows: 30))
    }

    func testTheResolvedValueIsSentAndAirflowsAnswerShown() async {
        let harness = Self.harness()
        harness.environment.connectionTestAnswer = .tested(succeeded: true, message: "Connection successfully tested")
        await harness.start()
        await harness.select(.connection("warehouse"))
        await harness.press(.char("t"))
        XCTAssertEqual(harness.environment.testedConnections.map(\.id), ["warehouse"])
        XCTAssertEqual(harness.environment.testedConnections.first?.connection.password, "pw", "the resolved value, whole")
        XCTAssertEqual(harness.environment.testedConnections.first?.deployment, "astro-prod")
        XCTAssertEqual(harness.state.message?.text, "warehouse: Airflow's test succeeded: Connection successfully tested")

        harness.environment.connectionTestAnswer = .disabled(message: "testing connections is disabled on the Airflow at h")
        await harness.press(.char("t"))
        XCTAssertEqual(harness.state.message?.level, .warning)
        XCTAssertTrue(harness.state.message?.text.contains("disabled") == true)
    }

    func testAValueWithAHiddenFieldIsNeitherSentNorCopied() async {
        let harness = Self.harness()
        await harness.start()
        await harness.select(.connection("hidden_db"))
        await harness.press(.char("t"))
        XCTAssertTrue(harness.environment.testedConnections.isEmpty)
        XCTAssertTrue(harness.state.message?.text.contains("password is hidden by metastore via REST API") == true,
                      harness.state.message?.text ?? "")
        await harness.press(.char("y"))
        XCTAssertTrue(harness.state.message?.text.contains("never copies a hidden field") == true, harness.state.message?.text ?? "")
        XCTAssertEqual(harness.state.mode, .normal, "no copy menu opens")
        let detail = harness.frame.textLines.joined(separator: "\n")
        XCTAssertTrue(detail.contains("hidden by the source"), detail)
    }

    func testADeploymentWithoutAnAPIBlockSaysHowToGetOne() async {
        let harness = Self.harness(api: false)
        await harness.start()
        await harness.select(.connection("warehouse"))
        await harness.press(.char("t"))
        XCTAssertTrue(harness.environment.testedConnections.isEmpty)
        XCTAssertTrue(harness.state.message?.text.contains("has no api: block") == true)
    }
}
