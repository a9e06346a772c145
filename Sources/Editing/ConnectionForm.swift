import Engine
/// How a tier stores a connection, where Airflow accepts more than one form.
public enum ConnectionForm: String, Sendable, Hashable, CaseIterable, Codable {
    /// One URI string (`get_uri()`).
    case uri
    /// One JSON document (`as_json()`).
    case json
    /// One stored field per connection attribute: metastore columns, Vault keys,
    /// `airflow_settings.yaml` entries.
    case fields
}
