import Foundation
import Testing
import Engine
import RemoteSupport
@testable import VaultBackend

/// hvac's `timeout` kwarg comes from outside: a number that cannot be a request timeout is a
/// configuration error naming the kwarg and the accepted range, never an overflow.
@Suite("Vault timeout kwarg")
struct VaultTimeoutKwargTests {
    func settings(_ timeoutJSON: String) throws -> VaultSettings {
        let kwargs = #"{"url": "http://127.0.0.1:1", "token": "t-not-a-secret", "timeout": \#(timeoutJSON)}"#
        let deployment = Deployment(name: "t", environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": VaultFixtures.backendClass, "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
        ]))
        let configuration = try #require(BackendConfiguration.read(from: deployment.environment, version: .v3).secrets)
        return try VaultSettings(configuration: configuration, deployment: deployment)
    }

    @Test(arguments: ["1e12", "1e300", "Infinity", "-Infinity", "NaN", "-1", "0", "0.01", "3601",
                      #""soon""#, #""1e300""#, "true", "[30]", "99999999999999999999999999"])
    func anOutOfRangeOrNonNumericTimeoutIsAConfigurationError(_ value: String) {
        let error = #expect(throws: VaultFailure.self) { _ = try settings(value) }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains("timeout") == true)
        #expect(error?.message.contains("from 0.1 to 3600") == true)
    }

    @Test func aTimeoutInRangeIsUsedAndNullOrAbsentMeansThirtySeconds() throws {
        #expect(try settings("5").timeout == .seconds(5))
        #expect(try settings("2.5").timeout == .milliseconds(2500))
        #expect(try settings(#""12""#).timeout == .seconds(12))
        #expect(try settings("null").timeout == .seconds(30))
    }

    @Test func theProviderTurnsItIntoATierErrorWithoutTheToken() throws {
        let kwargs = #"{"url": "http://127.0.0.1:1", "token": "t-not-a-secret", "timeout": 1e300}"#
        let deployment = Deployment(name: "t", environment: DeploymentEnvironment([
            "AIRFLOW__SECRETS__BACKEND": VaultFixtures.backendClass, "AIRFLOW__SECRETS__BACKEND_KWARGS": kwargs,
        ]))
        let configuration = try #require(BackendConfiguration.read(from: deployment.environment, version: .v3).secrets)
        let error = #expect(throws: TierError.self) {
            _ = try VaultTierProvider().makeSource(configuration: configuration, deployment: deployment, tier: .backend, dialect: .core)
        }
        #expect(error?.message.contains("timeout") == true)
        #expect(error?.message.contains("t-not-a-secret") == false)
    }
}
