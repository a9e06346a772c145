import Foundation
import Engine

/// Builds the deployment a remote tier reads its settings from, and runs a tier against a
/// scripted server.
public enum RemoteTierRun {
    /// A deployment whose environment selects `backendClass` with `kwargs` (JSON text) plus `env`.
    public static func deployment(backendClass: String, kwargs: String, env: [String: String] = [:],
                                  version: AirflowVersion = .v3) -> (configuration: BackendConfiguration, deployment: Deployment)? {
        var variables = env
        variables["AIRFLOW__SECRETS__BACKEND"] = backendClass
        variables["AIRFLOW__SECRETS__BACKEND_KWARGS"] = kwargs
        variables["HOME"] = "/nonexistent-fuzz-home"
        let deployment = Deployment(name: "fuzz", airflowVersion: version, environment: DeploymentEnvironment(variables))
        guard let configuration = BackendConfiguration.read(from: deployment.environment, version: version).secrets else {
            return nil
        }
        return (configuration, deployment)
    }

    /// Loads `source`; a failure must be a `TierError`, the only error a tier may throw.
    public static func exercise(_ source: any TierSource, what: String) async {
        do {
            _ = try await source.load()
        } catch {
            FuzzCheck.requireError(error, is: TierError.self, "\(what) load()")
        }
    }
}
