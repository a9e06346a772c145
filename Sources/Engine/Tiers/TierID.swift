/// A precedence tier of a deployment. Raw values are the stable ids used in `--json` output.
public enum TierID: String, Sendable, Hashable, Codable, CaseIterable {
    /// Airflow 3's `[workers] secrets_backend`, consulted first inside tasks when it is set.
    case workersBackend = "workers_backend"
    /// `[secrets] backend`: Vault, Secrets Manager, SSM, GCP, Azure or local files.
    case backend
    /// `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` in the deployment's environment.
    case env
    /// Airflow's metadata database (or, for an Astro project, `airflow_settings.yaml`).
    case metastore
}
