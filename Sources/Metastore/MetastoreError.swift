import Engine

/// Why a metastore read or write failed. The message names the deployment and says what to
/// check; it never contains a password, a Fernet key or a stored value.
public typealias MetastoreError = KindedFailure<MetastoreErrorKind>

/// The kinds of `MetastoreError`.
public enum MetastoreErrorKind: String, Sendable, Hashable {
    /// The `metastore` URL or the Fernet key setting is unusable.
    case configuration
    /// The file or server cannot be reached.
    case unreachable
    /// The server refused the credentials.
    case authentication
    /// The file or database exists but is not an Airflow metadata database.
    case notAirflowDatabase
    /// SQLite reported the file locked (another process holds a write lock).
    case locked
    /// The row changed (or appeared, or vanished) since it was read; nothing was written.
    case conflict
    /// The value cannot be written as given (invalid conn_id, non-object extra…).
    case invalidValue
    /// The deployment is marked read-only.
    case readOnly
    /// Anything else the database reported.
    case database
}
