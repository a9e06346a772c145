import Engine
import XCTest
@testable import ViewModel

final class EngineBridgeTests: XCTestCase {
    func testTheBackendPaneDescribesTheConfiguredBackendWithSecretKwargsMasked() {
        let secret = "kwarg-secret-value-1"
        let environment = DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "airflow/connections", "region_name": "eu-west-1", "aws_secret_access_key": "\#(secret)"}"#,
        ])
        let info = BackendPaneInfo.describing(Deployment(name: "d", environment: environment))
        XCTAssertEqual(info.friendlyName, "AWS Secrets Manager")
        XCTAssertEqual(info.className, "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend")
        XCTAssertTrue(info.namingScheme.contains { $0.hasPrefix("conns airflow/connections/") })
        XCTAssertTrue(info.kwargs.contains { $0.hasPrefix("region_name = ") })
        XCTAssertFalse((info.kwargs + info.warnings + [info.auth ?? ""]).joined().contains(secret), "secret kwargs are masked")
    }

    func testADeploymentWithoutABackendSaysSo() {
        XCTAssertEqual(BackendPaneInfo.describing(Deployment(name: "plain")), .none)
    }

    func testCopyFormatsUseTheEnginesCodec() {
        let formats = ConnectionFormats.engine(context: .server)
        let connection = Connection(connType: "postgres", host: "db.example", login: "etl", password: "p@ss", schema: "analytics", port: 5432)
        let uri = formats.uri(connection, .v3)
        XCTAssertEqual(uri?.hasPrefix("postgres://etl:"), true)
        XCTAssertEqual(uri?.hasSuffix("@db.example:5432/analytics"), true)
        XCTAssertEqual(formats.json(connection, .v3)?.contains("\"conn_type\""), true)
    }
}
