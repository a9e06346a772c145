import Engine
import TestSupport
import XCTest
@testable import ViewModel

/// A reason built from Airflow's error text is shown redacted in the TUI until revealed (x).
final class RedactedReasonTests: XCTestCase {
    static let canary = "zq9canary"

    func testTheDetailPaneShowsAirflowsErrorRedactedUntilRevealed() async throws {
        let env = EnvironmentTier(environment: DeploymentEnvironment([
            "AIRFLOW_CONN_DB": "postgres://etl:pa[\(Self.canary)]ss@db.example.com/a",
        ]), dialect: .core)
        let harness = Harness(deployments: [Deployment(name: "local", airflowVersion: .v3)],
                              factory: FixedTierFactory([env]), size: Size(columns: 220, rows: 40))
        await harness.start()
        await harness.select(.connection("db"))
        XCTAssertEqual(harness.state.selectedEntry?.key, .connection("db"))
        let masked = harness.frame.textLines.joined(separator: "\n")
        XCTAssertTrue(masked.contains("(ValueError: '***' does not appear"), masked)
        XCTAssertFalse(masked.lowercased().contains(Self.canary), masked)
        await harness.press(.char("x"))
        let revealed = harness.frame.textLines.joined(separator: "\n")
        XCTAssertTrue(revealed.lowercased().contains("'\(Self.canary)' does not appear"), revealed)
    }
}
