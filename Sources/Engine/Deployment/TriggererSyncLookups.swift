/// Synchronous connection and variable lookups made straight from a trigger's `async def run()`
/// on Airflow 3. The triggerer bridges them to its in-process Execution API through a greenback
/// portal; a deployment that sets `AIRFLOW_DISABLE_GREENBACK_PORTAL=true` turns the bridge off,
/// the Execution API tier then answers "not found" without a word, and only the trigger runner's
/// own tiers are reached: the symptom of apache/airflow#57145 (docs/triggerer-lookup.md).
public enum TriggererSyncLookups {
    /// The variable Airflow reads in the trigger runner (`TriggerRunner.run_trigger`).
    public static let portalSetting = "AIRFLOW_DISABLE_GREENBACK_PORTAL"

    /// Whether the environment turns the portal off. Airflow compares the lower-cased value with
    /// "true" exactly: no trimming, no other spellings of true.
    public static func portalDisabled(in environment: DeploymentEnvironment) -> Bool {
        environment[portalSetting]?.lowercased() == "true"
    }

    /// The tiers, in lookup order, that such a lookup still reaches: the first custom backend
    /// the runner asks (`[workers] secrets_backend`, else `[secrets] backend`) and the
    /// environment. Nil when every tier is reached: Airflow 2, or the portal left on.
    public static func reachableTiers(version: AirflowVersion, environment: DeploymentEnvironment,
                                      hasWorkersBackend: Bool) -> [TierID]? {
        guard version == .v3, portalDisabled(in: environment) else { return nil }
        return [hasWorkersBackend ? .workersBackend : .backend, .env]
    }
}
